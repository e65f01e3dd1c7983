import { normalizePolicy } from '../../../policy/document.ts';
import type { Policy } from '../../../policy/policy.ts';
import type { Db } from '../../../store/schema.ts';

const cache = new Map<string, Policy>();

/**
 * Loads every stored policy (active and staged) as planning sees it, in authoring order. Normalized
 * policies are cached by id and version, so WHERE clauses are parsed once per version.
 */
export async function loadPolicies(db: Db): Promise<Policy[]> {
  const rows = await db
    .selectFrom('policies')
    .select(['id', 'scope', 'data_source_id', 'version', 'document'])
    .orderBy('id')
    .execute();
  const out: Policy[] = [];
  for (const row of rows) {
    const key = `${row.id}:${row.version}`;
    let policy = cache.get(key);
    if (!policy) {
      policy = await normalizePolicy(row.document as never, {
        id: row.id,
        scope: row.scope,
        ...(row.data_source_id !== null ? { dataSourceId: String(row.data_source_id) } : {}),
      });
      cache.set(key, policy);
    }
    out.push(policy);
  }
  return out;
}

/** Returns every purpose name (for restrictions to any purpose). */
export async function loadPurposeNames(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('purposes').select('name').orderBy('name').execute();
  return rows.map((r) => r.name);
}
