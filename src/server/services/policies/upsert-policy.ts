import { recordAudit } from '../../../audit/record.ts';
import { getDataSource } from '../../../datasources/data-source-row.ts';
import { AppError } from '../../../errors/index.ts';
import { canonicalJson, type PolicyDocument, parsePolicyDocument } from '../../../policy/document.ts';
import { documentChanges, type PolicyChange } from '../../../policy/document-diff.ts';
import { requestEnforcement } from '../../../policy/request-enforcement.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import { auditingDenials } from '../datasources/authorize.ts';
import { isUniqueViolation } from '../people/unique-violation.ts';
import { type AffectedDataSource, affectedDataSources } from './affected-data-sources.ts';
import { loadPlanTargets } from './load-targets.ts';
import { assertMayAuthorGlobal, assertMayAuthorLocal } from './policy-access.ts';
import {
  POLICY_COLUMNS,
  type PolicyRow,
  type PolicyView,
  policyStatuses,
  viewPolicy,
} from './policy-view.ts';
import { preparePolicy } from './prepare-policy.ts';
import { storedPolicy } from './stored-policy.ts';

/** What to upsert: a V2 document (as read from JSON or YAML), where it applies, and whether to write. */
export interface UpsertPolicyInput {
  readonly document: unknown;
  readonly scope: 'global' | 'local';
  /** The data source of a local policy. */
  readonly dataSourceId?: string;
  /** Only say what would happen. */
  readonly dryRun: boolean;
}

/** What an upsert did, or with `dryRun` would do. */
export interface UpsertPolicyResult {
  readonly dryRun: boolean;
  readonly action: 'created' | 'updated' | 'unchanged';
  /** The policy after the change (in a dry run of a new policy its id is 0). */
  readonly policy: PolicyView;
  readonly changes: PolicyChange[];
  /** Data sources the policy applied to before or applies to after. */
  readonly affectedDataSources: Pick<AffectedDataSource, 'dataSourceId' | 'name'>[];
}

function scopeMismatch(existing: PolicyRow, input: UpsertPolicyInput): AppError | undefined {
  const dataSourceId = existing.data_source_id === null ? undefined : String(existing.data_source_id);
  if (existing.scope === input.scope && dataSourceId === input.dataSourceId) return undefined;
  const where = existing.scope === 'local' ? `local to data source ${dataSourceId}` : 'global';
  return new AppError(
    'POLICY_SCOPE_MISMATCH',
    `The policy ${JSON.stringify(existing.policy_key)} exists and is ${where}; use another policyKey, or change it where it lives.`,
    { extensions: { policyId: existing.id, scope: existing.scope, dataSourceId: dataSourceId ?? null } },
  );
}

async function upsertIn(trx: Db, ctx: ServiceContext, input: UpsertPolicyInput, document: PolicyDocument) {
  const source = input.dataSourceId === undefined ? undefined : await getDataSource(trx, input.dataSourceId);
  if (source) await assertMayAuthorLocal(trx, ctx, source);
  else assertMayAuthorGlobal(ctx, document.policyKey);
  let query = trx.selectFrom('policies').select(POLICY_COLUMNS).where('policy_key', '=', document.policyKey);
  if (!input.dryRun) query = query.forUpdate();
  const existing = await query.executeTakeFirst();
  const mismatch = existing && scopeMismatch(existing, input);
  if (mismatch) throw mismatch;
  const [target] = source ? await loadPlanTargets(trx, { dataSourceIds: [source.id] }) : [];
  const identity = {
    id: existing?.id ?? 0,
    scope: input.scope,
    ...(input.dataSourceId !== undefined ? { dataSourceId: input.dataSourceId } : {}),
  };
  const prepared = await preparePolicy(trx, document, identity, target);
  const before = existing ? await storedPolicy(existing) : undefined;
  const affected = await affectedDataSources(trx, before ? [before, prepared.policy] : [prepared.policy]);
  const result = (action: UpsertPolicyResult['action'], policy: PolicyView): UpsertPolicyResult => ({
    dryRun: input.dryRun,
    action,
    policy,
    changes: documentChanges(existing?.document, action === 'unchanged' ? existing?.document : document),
    affectedDataSources: affected.map(({ dataSourceId, name }) => ({ dataSourceId, name })),
  });

  if (existing && canonicalJson(existing.document) === canonicalJson(document)) {
    const status = (await policyStatuses(trx, [existing.id])).get(existing.id) ?? 'active';
    return result('unchanged', viewPolicy(existing, status));
  }
  const action = existing ? 'updated' : 'created';
  const now = new Date();
  const userId = ctx.actor.type === 'USER_ACTOR' ? ctx.actor.id : null;
  const values = {
    name: document.name,
    type: document.type,
    staged: document.staged,
    document: JSON.stringify(document),
  };
  if (input.dryRun) {
    const row: PolicyRow = {
      id: existing?.id ?? 0,
      policy_key: document.policyKey,
      scope: input.scope,
      data_source_id: input.dataSourceId ?? null,
      version: (existing?.version ?? 0) + 1,
      created_at: existing?.created_at ?? now,
      created_by: existing?.created_by ?? userId,
      updated_at: now,
      updated_by: userId,
      ...values,
      document,
    };
    // A dry run does not predict enforcement: the status is what the document asks for.
    return result(action, viewPolicy(row, document.staged ? 'staged' : 'active'));
  }
  const saved = existing
    ? await trx
        .updateTable('policies')
        .set({ ...values, version: existing.version + 1, updated_at: now, updated_by: userId })
        .where('id', '=', existing.id)
        .returning(POLICY_COLUMNS)
        .executeTakeFirstOrThrow()
    : await trx
        .insertInto('policies')
        .values({
          ...values,
          policy_key: document.policyKey,
          scope: input.scope,
          data_source_id: input.dataSourceId ?? null,
          version: 1,
          created_by: userId,
          updated_by: userId,
        })
        .returning(POLICY_COLUMNS)
        .executeTakeFirstOrThrow();
  await trx
    .insertInto('policy_versions')
    .values({
      policy_id: saved.id,
      version: saved.version,
      policy_key: saved.policy_key,
      change: action,
      staged: saved.staged,
      document: values.document,
      changed_by: userId,
    })
    .execute();
  const keys = [...new Set(affected.map((a) => a.connectionKey))];
  if (source) keys.push(source.connection_key);
  await requestEnforcement(trx, keys);
  const changes = documentChanges(existing?.document, document);
  await recordAudit(trx, ctx, {
    action: 'PolicySaved',
    targets: [
      { type: 'policy', id: String(saved.id), name: saved.policy_key },
      ...(source ? [{ type: 'dataSource', id: source.id }] : []),
    ],
    payload: {
      change: action,
      version: saved.version,
      scope: saved.scope,
      staged: saved.staged,
      changedFields: changes.map((c) => c.path),
      affectedDataSources: affected.length,
    },
  });
  const status = (await policyStatuses(trx, [saved.id])).get(saved.id) ?? 'active';
  return result(action, viewPolicy(saved, status));
}

/**
 * `POST /api/v2/policy` and `POST /policy/handler/{dataSourceId}`: creates or updates a policy by its
 * `policyKey`. An identical canonical document is `unchanged` and writes nothing; a different one is
 * saved as the next version (with a `policy_versions` row, an audit event and an enforcement request);
 * a new key is version 1. With `dryRun` nothing is written and the answer is the same. A key that
 * exists with another scope or data source is POLICY_SCOPE_MISMATCH. Global policies need GOVERNANCE or
 * APPLICATION_ADMIN; local ones GOVERNANCE, an owner of the data source, or its domain's Manage Policies.
 */
export async function upsertPolicy(
  ctx: ServiceContext,
  input: UpsertPolicyInput,
): Promise<UpsertPolicyResult> {
  const document = parsePolicyDocument(input.document);
  const db = ctx.deps.store.db;
  const run = () =>
    auditingDenials(ctx, () => db.transaction().execute((trx) => upsertIn(trx, ctx, input, document)));
  let result: UpsertPolicyResult;
  try {
    result = await run();
  } catch (error) {
    // Two requests created the same new key at once: the loser retries and sees the winner's row.
    if (!isUniqueViolation(error)) throw error;
    result = await run();
  }
  if (!input.dryRun && result.action !== 'unchanged') ctx.deps.jobs.wake();
  return result;
}
