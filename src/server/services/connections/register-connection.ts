import { recordAudit } from '../../../audit/record.ts';
import { sealSecrets, splitSecrets } from '../../../connections/credentials.ts';
import { SYNC_JOB_TYPE } from '../../../connections/sync-job.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import { enqueue } from '../../../jobs/enqueue.ts';
import { markEntitlementsChanged } from '../../../people/entitlements-changed.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import { type ConnectionBody, type ParsedConnection, parseConnectionPayload } from './parse-payload.ts';
import { runValidation } from './test-connection.ts';

/** Fails with CONN_KEY_TAKEN when a connection already uses the key. */
export async function assertKeyFree(db: Db, connectionKey: string): Promise<void> {
  const taken = await db
    .selectFrom('connections')
    .select('connection_key')
    .where('connection_key', '=', connectionKey)
    .executeTakeFirst();
  if (taken) {
    throw new AppError('CONN_KEY_TAKEN', `The connection key ${connectionKey} is taken.`, {
      errors: [fieldError('body', ['connectionKey'], 'is taken')],
    });
  }
}

/**
 * Stores a validated connection in one transaction: its integration, its settings with credentials
 * encrypted, the root of its object hierarchy, the object sync job and the audit event. Used by the API
 * and by the demo warehouse bootstrap.
 */
export async function storeConnection(
  ctx: ServiceContext,
  parsed: ParsedConnection,
): Promise<{ objectPath: string[]; bulkId: string }> {
  const { publicPart, secrets } = splitSecrets({
    connection: parsed.connection,
    nativeIntegration: parsed.nativeIntegration ?? null,
  });
  const userId = ctx.actor.type === 'USER_ACTOR' ? ctx.actor.id : null;
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    await assertKeyFree(trx, parsed.connectionKey);
    const native = publicPart.nativeIntegration as Record<string, unknown> | null;
    const integration = await trx
      .insertInto('integrations')
      .values({
        technology: parsed.platform.technology,
        status: 'enabled',
        auto_bootstrap: native?.['autoBootstrap'] === true,
        config: JSON.stringify({ connection: publicPart.connection, nativeIntegration: native }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('connections')
      .values({
        connection_key: parsed.connectionKey,
        technology: parsed.platform.technology,
        connection: JSON.stringify(publicPart.connection),
        native_integration: native === null ? null : JSON.stringify(native),
        secrets: sealSecrets(ctx.deps.keyring, parsed.connectionKey, secrets),
        options: JSON.stringify({ forceRecursiveCrawl: parsed.forceRecursiveCrawl }),
        integration_id: integration.id,
        created_by: userId,
        updated_by: userId,
      })
      .execute();
    await trx
      .insertInto('data_objects')
      .values({
        connection_key: parsed.connectionKey,
        path: [parsed.connectionKey],
        kind: 'connection',
        parent_id: null,
        ancestor_ids: [],
        name: parsed.connectionKey,
        table_kind: null,
        comment: null,
        is_active_override: true,
        activate_new_children_override: parsed.isActive,
        data_owners_override: JSON.stringify([]),
        is_active: true,
        state: 'active',
        fingerprint: null,
        last_seen_job: null,
        dropped_at: null,
      })
      .execute();
    const { bulkId } = await enqueue(
      trx,
      ctx.deps.jobs.registry,
      [
        {
          type: SYNC_JOB_TYPE,
          payload: { connectionKey: parsed.connectionKey, objectPath: [parsed.connectionKey] },
        },
      ],
      { createdBy: userId },
    );
    // People's entitlement rows are pushed to the new connection as soon as it exists.
    await markEntitlementsChanged(trx);
    await recordAudit(trx, ctx, {
      action: 'ConnectionCreated',
      targets: [{ type: 'connection', id: parsed.connectionKey }],
      payload: {
        technology: parsed.platform.technology,
        connection: publicPart.connection,
        nativeIntegrationId: integration.id,
        settings: { isActive: parsed.isActive },
        options: { forceRecursiveCrawl: parsed.forceRecursiveCrawl },
        bulkId,
      },
    });
    return { objectPath: [parsed.connectionKey], bulkId };
  });
}

/**
 * `POST /data/connection`: validates the payload, refuses a taken key, runs the validation tests (a
 * failing one refuses the connection with 422 and the tests), then stores it and starts object sync.
 */
export async function registerConnection(
  ctx: ServiceContext,
  body: ConnectionBody,
  signal?: AbortSignal,
): Promise<{ objectPath: string[]; bulkId: string }> {
  const parsed = await parseConnectionPayload(ctx.deps.store.db, ctx.deps.platforms, body);
  if (parsed.nativeIntegration?.['autoBootstrap'] === true) {
    throw new AppError(
      'REQUEST_INVALID',
      'autoBootstrap is not supported yet: run the setup script from POST /integrations/scripts/create.',
      {
        errors: [fieldError('body', ['nativeIntegration', 'autoBootstrap'], 'must be false')],
      },
    );
  }
  await assertKeyFree(ctx.deps.store.db, parsed.connectionKey);
  const validation = await runValidation(parsed, signal);
  if (validation.status === 'failed') {
    const failed = validation.validationTests.filter((t) => t.status === 'failed').map((t) => t.name);
    throw new AppError(
      'CONN_VALIDATION_FAILED',
      `The connection failed these validation tests: ${failed.join(', ')}.`,
      {
        extensions: { validationTests: validation.validationTests },
      },
    );
  }
  const result = await storeConnection(ctx, parsed);
  ctx.deps.jobs.wake();
  return result;
}
