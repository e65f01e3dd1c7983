import { sql } from 'kysely';
import type { Db, PoliciesTable } from '../../../store/schema.ts';

/** Where a policy stands: staged (inactive), active and enforced, or pending enforcement somewhere. */
export type PolicyStatus = 'staged' | 'active' | 'pending';

/** A stored policy as the API shows it, with its canonical V2 document. */
export interface PolicyView {
  readonly id: number;
  readonly policyKey: string;
  readonly name: string;
  readonly type: 'subscription' | 'data';
  readonly scope: 'global' | 'local';
  readonly dataSourceId: string | null;
  readonly staged: boolean;
  readonly status: PolicyStatus;
  readonly version: number;
  readonly document: Record<string, unknown>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A row of the `policies` table as selected. */
export type PolicyRow = {
  [K in keyof PoliciesTable]: PoliciesTable[K] extends { __select__: infer S } ? S : PoliciesTable[K];
};

/** The columns of a policy row, for `select`. */
export const POLICY_COLUMNS = [
  'id',
  'policy_key',
  'name',
  'type',
  'scope',
  'data_source_id',
  'staged',
  'document',
  'version',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
] as const;

/** Builds the view of a policy row with its status. */
export function viewPolicy(row: PolicyRow, status: PolicyStatus): PolicyView {
  return {
    id: row.id,
    policyKey: row.policy_key,
    name: row.name,
    type: row.type,
    scope: row.scope,
    dataSourceId: row.data_source_id === null ? null : String(row.data_source_id),
    staged: row.staged,
    status,
    version: row.version,
    document: row.document,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/**
 * Returns the status of each policy by id. A policy is `pending` while enforcement lags it on a data
 * source whose applied or wanted plan includes it: the applied plan was computed from an older version
 * of it, or differs from the plan wanted. Otherwise a staged policy is `staged` and an active one
 * `active` (a policy no plan lists yet, before the enforcement job first plans it, counts as active).
 * Unknown ids are left out.
 */
export async function policyStatuses(db: Db, ids: readonly number[]): Promise<Map<number, PolicyStatus>> {
  const out = new Map<number, PolicyStatus>();
  if (ids.length === 0) return out;
  const { rows } = await sql<{ id: number; staged: boolean; pending: boolean }>`
    SELECT p.id, p.staged,
           EXISTS (
             SELECT 1 FROM data_source_enforcement e
              WHERE (e.desired_plan -> 'policies' @> jsonb_build_array(jsonb_build_object('id', p.id))
                     OR e.applied_plan -> 'policies' @> jsonb_build_array(jsonb_build_object('id', p.id)))
                AND (coalesce((e.policy_versions ->> p.id::text)::int, 0) < p.version
                     OR e.desired_hash IS DISTINCT FROM e.applied_hash)
           ) AS pending
      FROM policies p
     WHERE p.id = ANY(${[...ids]}::int[])`.execute(db);
  for (const r of rows) out.set(r.id, r.pending ? 'pending' : r.staged ? 'staged' : 'active');
  return out;
}

/** Builds the views of policy rows, computing their statuses in one query. */
export async function viewPolicies(db: Db, rows: readonly PolicyRow[]): Promise<PolicyView[]> {
  const statuses = await policyStatuses(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => viewPolicy(r, statuses.get(r.id) ?? (r.staged ? 'staged' : 'active')));
}
