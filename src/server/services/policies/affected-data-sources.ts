import { dataSourceNames } from '../../../datasources/data-source-name.ts';
import { appliesTo } from '../../../policy/circumstances.ts';
import type { Policy } from '../../../policy/policy.ts';
import type { Db } from '../../../store/schema.ts';
import { loadPlanTargets } from './load-targets.ts';

/** A data source a policy change touches. */
export interface AffectedDataSource {
  readonly dataSourceId: string;
  readonly name: string;
  readonly connectionKey: string;
}

/**
 * Returns the data sources any of the policies applies to (active policies only: a staged one applies
 * nowhere), by id, with their names. Local policies are checked against their own data source only.
 */
export async function affectedDataSources(
  db: Db,
  policies: readonly Policy[],
): Promise<AffectedDataSource[]> {
  const active = policies.filter((p) => !p.staged);
  if (active.length === 0) return [];
  const localOnly = active.every((p) => p.scope === 'local');
  const targets = await loadPlanTargets(
    db,
    localOnly ? { dataSourceIds: active.map((p) => p.dataSourceId ?? '') } : {},
  );
  const hit = targets.filter((t) => active.some((p) => appliesTo(p, t)));
  const names = await dataSourceNames(
    db,
    hit.map((t) => ({ id: t.id, path: [t.connectionKey, t.database, t.schema, t.table] })),
  );
  return hit.map((t) => ({
    dataSourceId: t.id,
    name: names.get(t.id) ?? t.table,
    connectionKey: t.connectionKey,
  }));
}
