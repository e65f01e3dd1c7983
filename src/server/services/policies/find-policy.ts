import { AppError } from '../../../errors/index.ts';
import type { Db } from '../../../store/schema.ts';
import { POLICY_COLUMNS, type PolicyRow } from './policy-view.ts';

/** Names a policy: by its key (V2 API) or its id (v1 API). */
export type PolicyLookup = { readonly policyKey: string } | { readonly id: number };

/** Narrows a lookup to one scope: global policies only, or the local policies of one data source. */
export type PolicyScopeFilter =
  | { readonly scope: 'global' }
  | { readonly scope: 'local'; readonly dataSourceId: string };

function describe(lookup: PolicyLookup, where?: PolicyScopeFilter): string {
  const name = 'policyKey' in lookup ? `policy ${JSON.stringify(lookup.policyKey)}` : `policy ${lookup.id}`;
  if (!where) return `There is no ${name}.`;
  return where.scope === 'global'
    ? `There is no global ${name}.`
    : `There is no ${name} on data source ${where.dataSourceId}.`;
}

/**
 * Loads a policy row by key or id (locked for update when asked), or fails with POLICY_NOT_FOUND, also
 * when it exists outside the scope filter (a local policy asked for as global, or on another data source).
 */
export async function findPolicy(
  db: Db,
  lookup: PolicyLookup,
  where?: PolicyScopeFilter,
  lock = false,
): Promise<PolicyRow> {
  let query = db.selectFrom('policies').select(POLICY_COLUMNS);
  query =
    'policyKey' in lookup
      ? query.where('policy_key', '=', lookup.policyKey)
      : query.where('id', '=', lookup.id);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  const inScope =
    row !== undefined &&
    (where === undefined ||
      (where.scope === 'global'
        ? row.scope === 'global'
        : row.scope === 'local' && String(row.data_source_id) === where.dataSourceId));
  if (!inScope) throw new AppError('POLICY_NOT_FOUND', describe(lookup, where));
  return row;
}
