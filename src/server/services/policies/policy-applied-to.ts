import type { Db } from '../../../store/schema.ts';
import { type AffectedDataSource, affectedDataSources } from './affected-data-sources.ts';
import { findPolicy, type PolicyScopeFilter } from './find-policy.ts';
import { storedPolicy } from './stored-policy.ts';

/**
 * `GET /policy/global/appliedTo/{id}`: the data sources an active policy applies to now (by its
 * circumstances; a staged policy applies nowhere), by id.
 */
export async function policyAppliedTo(
  db: Db,
  id: number,
  where?: PolicyScopeFilter,
): Promise<{ hits: Pick<AffectedDataSource, 'dataSourceId' | 'name'>[]; count: number }> {
  const policy = await storedPolicy(await findPolicy(db, { id }, where));
  const hits = (policy ? await affectedDataSources(db, [policy]) : []).map(({ dataSourceId, name }) => ({
    dataSourceId,
    name,
  }));
  return { hits, count: hits.length };
}
