import { recordAudit } from '../../../audit/record.ts';
import { requestEnforcement } from '../../../policy/request-enforcement.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import { auditingDenials } from '../datasources/authorize.ts';
import { type AffectedDataSource, affectedDataSources } from './affected-data-sources.ts';
import { findPolicy, type PolicyLookup, type PolicyScopeFilter } from './find-policy.ts';
import { assertMayAuthorGlobal, assertMayAuthorLocal } from './policy-access.ts';
import { type PolicyView, viewPolicy } from './policy-view.ts';
import { storedPolicy } from './stored-policy.ts';

/** What deleting a policy did: the policy as it was (at its `deleted` version) and where it applied. */
export interface DeletedPolicy {
  readonly policy: PolicyView;
  readonly affectedDataSources: Pick<AffectedDataSource, 'dataSourceId' | 'name'>[];
}

async function deleteIn(trx: Db, ctx: ServiceContext, lookup: PolicyLookup, where?: PolicyScopeFilter) {
  const row = await findPolicy(trx, lookup, where, true);
  if (row.scope === 'local') {
    const source = await trx
      .selectFrom('data_objects')
      .selectAll()
      .where('id', '=', String(row.data_source_id))
      .executeTakeFirstOrThrow();
    await assertMayAuthorLocal(trx, ctx, source);
  } else {
    assertMayAuthorGlobal(ctx, row.policy_key);
  }
  const before = await storedPolicy(row);
  const affected = before ? await affectedDataSources(trx, [before]) : [];
  const version = row.version + 1;
  const userId = ctx.actor.type === 'USER_ACTOR' ? ctx.actor.id : null;
  await trx.deleteFrom('policies').where('id', '=', row.id).execute();
  await trx
    .insertInto('policy_versions')
    .values({
      policy_id: row.id,
      version,
      policy_key: row.policy_key,
      change: 'deleted',
      staged: row.staged,
      document: JSON.stringify(row.document),
      changed_by: userId,
    })
    .execute();
  await requestEnforcement(trx, [...new Set(affected.map((a) => a.connectionKey))]);
  await recordAudit(trx, ctx, {
    action: 'PolicyDeleted',
    targets: [
      { type: 'policy', id: String(row.id), name: row.policy_key },
      ...(row.data_source_id !== null ? [{ type: 'dataSource', id: String(row.data_source_id) }] : []),
    ],
    payload: { version, scope: row.scope, affectedDataSources: affected.length },
  });
  return {
    policy: viewPolicy(
      { ...row, version, updated_at: new Date(), updated_by: userId },
      affected.length > 0 ? 'pending' : row.staged ? 'staged' : 'active',
    ),
    affectedDataSources: affected.map(({ dataSourceId, name }) => ({ dataSourceId, name })),
  };
}

/**
 * `DELETE /api/v2/policy/{policyKey}`, `DELETE /policy/global/{id}`, `DELETE /policy/handler/{dataSourceId}/{policyId}`:
 * deletes a policy, keeping its history with a `deleted` version, and requests enforcement where it
 * applied. Needs what authoring it needs (see `upsertPolicy`).
 */
export async function deletePolicy(
  ctx: ServiceContext,
  lookup: PolicyLookup,
  where?: PolicyScopeFilter,
): Promise<DeletedPolicy> {
  const deleted = await auditingDenials(ctx, () =>
    ctx.deps.store.db.transaction().execute((trx) => deleteIn(trx, ctx, lookup, where)),
  );
  ctx.deps.jobs.wake();
  return deleted;
}
