import { sql } from 'kysely';
import type { Db } from '../../../store/schema.ts';
import { POLICY_COLUMNS, type PolicyView, viewPolicies } from './policy-view.ts';

/** Filters of a policy search; all optional, combined with AND. */
export interface PolicyFilters {
  readonly scope?: 'global' | 'local' | undefined;
  readonly type?: 'subscription' | 'data' | undefined;
  /** `staged` or `active` (not staged). */
  readonly state?: 'staged' | 'active' | undefined;
  /** A case-insensitive part of the name or the key. */
  readonly searchText?: string | undefined;
  /** Local policies of this data source. */
  readonly dataSourceId?: string | undefined;
  readonly offset?: number | undefined;
  /** At most this many; all when absent. */
  readonly limit?: number | undefined;
}

/**
 * `GET /api/v2/policy`, `GET /policy/global`, `POST /policy/search`, `GET /policy/handler/{id}`: the
 * policies matching the filters in authoring order (by id), with their documents and statuses, and how
 * many match in all.
 */
export async function listPolicies(
  db: Db,
  filters: PolicyFilters,
): Promise<{ hits: PolicyView[]; count: number }> {
  let query = db.selectFrom('policies');
  if (filters.scope) query = query.where('scope', '=', filters.scope);
  if (filters.type) query = query.where('type', '=', filters.type);
  if (filters.state) query = query.where('staged', '=', filters.state === 'staged');
  if (filters.dataSourceId) query = query.where('data_source_id', '=', filters.dataSourceId);
  if (filters.searchText) {
    const like = `%${filters.searchText.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb(sql`name`, 'ilike', like), eb(sql`policy_key`, 'ilike', like)]));
  }
  const total = await query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  let page = query
    .select(POLICY_COLUMNS)
    .orderBy('id')
    .offset(filters.offset ?? 0);
  if (filters.limit !== undefined) page = page.limit(filters.limit);
  return { hits: await viewPolicies(db, await page.execute()), count: Number(total.n) };
}
