import { sql } from 'kysely';
import { recordAudit } from '../../../audit/record.ts';
import { mergeSecrets, openSecrets, sealSecrets, splitSecrets } from '../../../connections/credentials.ts';
import { getConnectionRow, platformOf } from '../../../connections/load-connection.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import { REDACTED } from '../../../secrets/redact.ts';
import type { ServiceContext } from '../../context.ts';
import { fieldErrorsFromZod } from '../../plugins/validation.ts';
import { type ConnectionView, viewConnection } from './connection-view.ts';
import { parseConnectionPayload } from './parse-payload.ts';
import { runValidation } from './test-connection.ts';

/** The parts of a connection a `PUT` may change. */
export interface ConnectionUpdate {
  readonly connection?: Record<string, unknown> | undefined;
  readonly nativeIntegration?: Record<string, unknown> | undefined;
  readonly settings?: { readonly isActive?: boolean | undefined } | undefined;
  readonly options?: { readonly forceRecursiveCrawl?: boolean | undefined } | undefined;
}

function deepMerge(base: unknown, change: unknown): unknown {
  if (change === REDACTED) return base;
  if (change === null || typeof change !== 'object' || Array.isArray(change)) return change;
  const out: Record<string, unknown> = { ...((base ?? {}) as Record<string, unknown>) };
  for (const [k, v] of Object.entries(change)) out[k] = deepMerge(out[k], v);
  return out;
}

/**
 * `PUT /data/connection/{key}`: merges the given fields over the stored connection (a value of
 * `[REDACTED]` keeps the stored secret), re-checks and re-validates the whole, and saves it only if
 * every validation test passes. The technology cannot change.
 */
export async function updateConnection(
  ctx: ServiceContext,
  connectionKey: string,
  update: ConnectionUpdate,
  signal?: AbortSignal,
): Promise<ConnectionView> {
  const db = ctx.deps.store.db;
  const row = await getConnectionRow(db, connectionKey);
  const platform = platformOf(ctx.deps.platforms, row.technology);
  const stored = mergeSecrets(
    { connection: row.connection, nativeIntegration: row.native_integration },
    openSecrets(ctx.deps.keyring, connectionKey, row.secrets),
  );
  const connection = deepMerge(stored.connection, update.connection ?? {}) as Record<string, unknown>;
  if (connection['technology'] !== row.technology) {
    throw new AppError('REQUEST_INVALID', 'The technology of a connection cannot change.', {
      errors: [fieldError('body', ['connection', 'technology'], `must stay ${row.technology}`)],
    });
  }
  const checked = platform.connectionSchema.safeParse(connection);
  if (!checked.success) {
    const errors = fieldErrorsFromZod(checked.error.issues, 'body').map((e) =>
      fieldError(
        'body',
        [
          'connection',
          ...e.pointer
            .slice(2)
            .split('/')
            .filter((p) => p !== ''),
        ],
        e.detail,
      ),
    );
    throw new AppError('REQUEST_INVALID', `Invalid ${errors.map((e) => e.field).join(', ')}.`, { errors });
  }
  const nativeIntegration =
    update.nativeIntegration === undefined
      ? (stored.nativeIntegration ?? undefined)
      : (deepMerge(stored.nativeIntegration, update.nativeIntegration) as Record<string, unknown>);
  const parsed = await parseConnectionPayload(db, ctx.deps.platforms, {
    connectionKey,
    connection: checked.data,
    nativeIntegration: nativeIntegration ?? undefined,
  });
  const validation = await runValidation(parsed, signal);
  if (validation.status === 'failed') {
    const failed = validation.validationTests.filter((t) => t.status === 'failed').map((t) => t.name);
    throw new AppError(
      'CONN_VALIDATION_FAILED',
      `The changed connection failed these validation tests: ${failed.join(', ')}.`,
      {
        extensions: { validationTests: validation.validationTests },
      },
    );
  }
  const { publicPart, secrets } = splitSecrets({
    connection: parsed.connection,
    nativeIntegration: parsed.nativeIntegration ?? null,
  });
  const oldSecrets = openSecrets(ctx.deps.keyring, connectionKey, row.secrets);
  const changedSecrets = Object.keys(secrets).filter((p) => secrets[p] !== oldSecrets[p]);
  const userId = ctx.actor.type === 'USER_ACTOR' ? ctx.actor.id : null;
  return db.transaction().execute(async (trx) => {
    const options = { ...(row.options as Record<string, unknown>), ...(update.options ?? {}) };
    const saved = await trx
      .updateTable('connections')
      .set({
        connection: JSON.stringify(publicPart.connection),
        native_integration:
          publicPart.nativeIntegration === null ? null : JSON.stringify(publicPart.nativeIntegration),
        secrets: sealSecrets(ctx.deps.keyring, connectionKey, secrets),
        options: JSON.stringify(options),
        updated_at: sql<Date>`now()`,
        updated_by: userId,
      })
      .where('connection_key', '=', connectionKey)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (update.settings?.isActive !== undefined) {
      await trx
        .updateTable('data_objects')
        .set({ activate_new_children_override: update.settings.isActive })
        .where('connection_key', '=', connectionKey)
        .where('kind', '=', 'connection')
        .execute();
    }
    await recordAudit(trx, ctx, {
      action: 'ConnectionUpdated',
      targets: [{ type: 'connection', id: connectionKey }],
      payload: {
        connection: publicPart.connection,
        changedSecrets,
        settings: update.settings ?? null,
        options: update.options ?? null,
      },
    });
    return viewConnection(trx, ctx.deps.keyring, saved);
  });
}
