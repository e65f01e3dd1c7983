import { randomBytes } from 'node:crypto';
import { recordAudit } from '../../../audit/record.ts';
import { connectionConfig, connectionOfJob, platformOf } from '../../../connections/load-connection.ts';
import { SYSTEM_ACTOR } from '../../../domain/actor.ts';
import { safeErrorMessage } from '../../../errors/index.ts';
import type { JobContext, JobKind } from '../../../jobs/job-kind.ts';
import type { EnforcementReport, EnforcementTarget, PlatformSession } from '../../../platforms/platform.ts';
import {
  ENFORCE_LIMITS,
  type EnforcePayload,
  POLICY_ENFORCE_JOB_TYPE,
} from '../../../policy/request-enforcement.ts';
import type { AppDeps } from '../../deps.ts';
import { computePlans, governedPlans, planHash } from './compute-plans.ts';

type Ctx = JobContext<EnforcePayload, AppDeps>;

/** Returns the hash salt of each data source, creating (and storing) one for those without. */
async function salts(ctx: Ctx, ids: readonly string[]): Promise<Map<string, string>> {
  const { db, payload } = ctx;
  if (ids.length > 0) {
    await db
      .insertInto('data_source_enforcement')
      .values(
        ids.map((id) => ({
          data_source_id: id,
          connection_key: payload.connectionKey,
          salt: randomBytes(16).toString('hex'),
        })),
      )
      .onConflict((oc) => oc.column('data_source_id').doNothing())
      .execute();
  }
  const rows = await db
    .selectFrom('data_source_enforcement')
    .select(['data_source_id', 'salt'])
    .where('connection_key', '=', payload.connectionKey)
    .execute();
  return new Map(rows.map((r) => [String(r.data_source_id), r.salt]));
}

/**
 * Policy enforcement of one connection: plans every data source from the store, records the desired
 * plans, asks the platform to reconcile (it applies only the difference, each data source atomically)
 * and records per data source what is enforced, with an audit event for every drift it repaired.
 * A planning or store error throws before the platform is touched, so enforcement is never stripped
 * because of an upstream failure.
 */
async function runEnforce(ctx: Ctx): Promise<Record<string, unknown>> {
  const { deps, db, payload } = ctx;
  const row = await connectionOfJob(db, payload.connectionKey, ctx.item);
  if (!row) return { skipped: 'connectionDeleted' };
  const platform = platformOf(deps.platforms, row.technology);
  if (!platform.enforce) {
    ctx.item(payload.connectionKey, 'skipped', {
      reason: `Steward cannot enforce policies on ${row.technology} yet.`,
    });
    return { skipped: 'unsupported' };
  }
  const computed = await computePlans(deps.store.db, { connectionKey: payload.connectionKey });
  const plans = governedPlans(computed.plans);
  const saltOf = await salts(
    ctx,
    plans.map((p) => p.target.id),
  );
  const targets: EnforcementTarget[] = plans.map((plan) => ({
    plan,
    salt: saltOf.get(plan.target.id) ?? '',
  }));
  if (targets.length === 0) {
    const enforced = await db
      .selectFrom('data_source_enforcement')
      .select('data_source_id')
      .where('connection_key', '=', payload.connectionKey)
      .where('applied_hash', 'is not', null)
      .executeTakeFirst();
    if (!enforced) {
      // Nothing is governed here and Steward never enforced anything here: no reason to connect.
      ctx.item(payload.connectionKey, 'skipped', { reason: 'No policy applies to this connection.' });
      return { governed: 0, executed: 0 };
    }
  }
  const hashes = new Map(plans.map((p) => [p.target.id, planHash(p)]));
  const now = new Date();
  for (const plan of plans) {
    await db
      .updateTable('data_source_enforcement')
      .set({
        desired_hash: hashes.get(plan.target.id) ?? null,
        desired_plan: JSON.stringify(plan),
        desired_at: now,
      })
      .where('data_source_id', '=', plan.target.id)
      .execute();
  }
  ctx.progress(0, targets.length);
  let session: PlatformSession | undefined;
  let report: EnforcementReport;
  try {
    session = await platform.connect(connectionConfig(deps.keyring, row), ctx.signal);
    // An empty set is legitimate when no active policy exists or the connection has data sources that
    // none applies to; a connection with no data source at all while policies exist is suspicious.
    const allowEmpty = computed.activePolicies === 0 || computed.plans.length > 0;
    report = await platform.enforce(session, targets, { allowEmpty }, ctx.signal);
  } catch (error) {
    ctx.item(payload.connectionKey, 'failed', { error: safeErrorMessage(error) });
    throw error;
  } finally {
    await session?.close().catch(() => {});
  }
  const versions = JSON.stringify(Object.fromEntries(computed.versions));
  const byId = new Map(plans.map((p) => [p.target.id, p]));
  let failed = 0;
  let drift = 0;
  for (const item of report.items) {
    const plan = byId.get(item.dataSourceId);
    const drifted = item.changes.filter((c) => c.drift);
    await db.transaction().execute(async (trx) => {
      if (item.status === 'failed') {
        await trx
          .updateTable('data_source_enforcement')
          .set({ last_error: item.error ?? 'failed' })
          .where('data_source_id', '=', item.dataSourceId)
          .execute();
        return;
      }
      const current = await trx
        .selectFrom('data_source_enforcement')
        .select(['applied_hash', 'applied_plan'])
        .where('data_source_id', '=', item.dataSourceId)
        .executeTakeFirst();
      const hash = plan ? (hashes.get(item.dataSourceId) ?? null) : null;
      const changed = current?.applied_hash !== hash;
      await trx
        .updateTable('data_source_enforcement')
        .set({
          applied_hash: hash,
          applied_plan: plan ? JSON.stringify(plan) : null,
          ...(changed && current?.applied_plan
            ? { previous_plan: JSON.stringify(current.applied_plan) }
            : {}),
          applied_at: new Date(),
          last_error: null,
          policy_versions: versions,
          ...(plan ? {} : { desired_hash: null, desired_plan: null }),
        })
        .where('data_source_id', '=', item.dataSourceId)
        .execute();
      if (drifted.length > 0) {
        await recordAudit(
          trx,
          { actor: SYSTEM_ACTOR },
          {
            action: 'policy.driftRepaired',
            targetType: 'dataSource',
            targets: [{ type: 'dataSource', id: item.dataSourceId }],
            payload: { connectionKey: payload.connectionKey, changes: drifted },
          },
        );
      }
    });
    if (item.status === 'failed') failed++;
    drift += drifted.length;
    ctx.item(item.dataSourceId, item.status === 'failed' ? 'failed' : 'succeeded', {
      status: item.status,
      changes: item.changes.length,
      ...(drifted.length > 0 ? { drift: drifted.map((c) => c.reason) } : {}),
      ...(item.error ? { error: item.error } : {}),
    });
  }
  ctx.progress(targets.length);
  return { governed: targets.length, executed: report.executed, failed, drift };
}

/** The enforcement job kind: reconciles one connection's platform objects with its access plans. */
export const enforceJobKind: JobKind<AppDeps, EnforcePayload> = {
  type: POLICY_ENFORCE_JOB_TYPE,
  ...ENFORCE_LIMITS,
  backoff: { baseMs: 1000, maxMs: 60_000 },
  run: runEnforce,
};
