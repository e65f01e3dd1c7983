import { recordAudit } from '../../../audit/record.ts';
import { splitSecrets } from '../../../connections/credentials.ts';
import { platformOf } from '../../../connections/load-connection.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import type { ScriptKind } from '../../../platforms/platform.ts';
import type { ServiceContext } from '../../context.ts';
import { fieldErrorsFromZod } from '../../plugins/validation.ts';

/** The body of `POST /integrations/scripts/create` and `/cleanup`. */
export interface ScriptRequest {
  readonly type: string;
  readonly autoBootstrap: boolean;
  readonly config: Record<string, unknown>;
}

function parseConfig(ctx: ServiceContext, request: ScriptRequest) {
  const platform = platformOf(ctx.deps.platforms, request.type);
  const result = platform.scriptConfigSchema.safeParse(request.config);
  if (!result.success) {
    const errors = fieldErrorsFromZod(result.error.issues, 'body').map((e) =>
      fieldError(
        'body',
        [
          'config',
          ...e.pointer
            .slice(2)
            .split('/')
            .filter((p) => p !== ''),
        ],
        e.detail,
      ),
    );
    throw new AppError(
      'REQUEST_INVALID',
      `Invalid ${errors.map((e) => e.field).join(', ')}: ${errors[0]?.detail}.`,
      { errors },
    );
  }
  if (request.autoBootstrap) {
    throw new AppError(
      'REQUEST_INVALID',
      'autoBootstrap is not supported yet: set it to false and run the script.',
      {
        errors: [fieldError('body', ['autoBootstrap'], 'must be false')],
      },
    );
  }
  return { platform, config: result.data };
}

/**
 * Returns the setup (create) or cleanup script for a platform. A create script is recorded (public
 * settings only, never credentials) so a later connection can be checked against its namespace.
 */
export async function integrationScript(
  ctx: ServiceContext,
  request: ScriptRequest,
  kind: Exclude<ScriptKind, 'delete'>,
) {
  const { platform, config } = parseConfig(ctx, request);
  const script = platform.integrationScript(config, kind);
  if (kind === 'cleanup') return { script };
  const described = platform.describeScript(config);
  const { publicPart } = splitSecrets(config);
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('integration_scripts')
      .values({
        technology: platform.technology,
        host: described.host,
        steward_namespace: described.stewardNamespace,
        config: JSON.stringify(publicPart),
        created_by: ctx.actor.type === 'USER_ACTOR' ? ctx.actor.id : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: 'IntegrationScriptCreated',
      targets: [{ type: 'integrationScript', id: String(row.id) }],
      payload: { type: platform.technology, host: described.host, namespace: described.stewardNamespace },
    });
    return { script };
  });
}

/** Returns the script that removes a configured integration's objects from its platform. */
export async function deleteScript(ctx: ServiceContext, integrationId: number) {
  const row = await ctx.deps.store.db
    .selectFrom('integrations')
    .selectAll()
    .where('id', '=', integrationId)
    .executeTakeFirst();
  if (!row) throw new AppError('INTEGRATION_NOT_FOUND', `There is no integration with id ${integrationId}.`);
  const platform = platformOf(ctx.deps.platforms, row.technology);
  const stored = row.config as {
    connection?: Record<string, unknown>;
    nativeIntegration?: Record<string, unknown> | null;
  };
  if (!stored.connection || !platform.removalScript) {
    throw new AppError(
      'INTEGRATION_NOT_FOUND',
      `Integration ${integrationId} has no settings a removal script can be made from.`,
    );
  }
  return {
    script: platform.removalScript({
      connection: stored.connection,
      nativeIntegration: stored.nativeIntegration ?? undefined,
    }),
  };
}
