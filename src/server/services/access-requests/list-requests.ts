import { dataSourceNames } from '../../../datasources/data-source-name.ts';
import type { ServiceContext } from '../../context.ts';
import { loadPolicies } from '../policies/load-policies.ts';
import { mayDecide, requestApprovals } from './request-approvals.ts';
import { type AccessRequestView, requestQuery, viewRequest } from './request-view.ts';

/** Filters of the request list. */
export interface RequestFilters {
  readonly state?: readonly AccessRequestView['state'][] | undefined;
  readonly dataSourceId?: string | undefined;
  readonly offset: number;
  readonly limit: number;
}

/**
 * `GET /requests`: the access requests the caller may see, newest first: their own, and those they may
 * decide (see `mayDecide`), each marked with whether the caller may decide it.
 */
export async function listRequests(
  ctx: ServiceContext,
  filters: RequestFilters,
): Promise<(AccessRequestView & { mayDecide: boolean })[]> {
  const db = ctx.deps.store.db;
  let query = requestQuery(db);
  if (filters.state && filters.state.length > 0) query = query.where('r.state', 'in', filters.state);
  if (filters.dataSourceId) query = query.where('r.data_source_id', '=', filters.dataSourceId);
  const rows = await query.orderBy('r.requested_at', 'desc').orderBy('r.id', 'desc').execute();
  const decides = new Map<string, boolean>();
  const policies = rows.length > 0 ? await loadPolicies(db) : [];
  const visible: { row: (typeof rows)[number]; mayDecide: boolean }[] = [];
  for (const row of rows) {
    const id = String(row.data_source_id);
    if (!decides.has(id)) {
      const object = await db
        .selectFrom('data_objects')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      decides.set(id, await mayDecide(db, ctx, object, await requestApprovals(db, id, policies)));
    }
    const decide = decides.get(id)! && row.user_id !== ctx.actor.id;
    if (decide || row.user_id === ctx.actor.id) visible.push({ row, mayDecide: decide });
  }
  const page = visible.slice(filters.offset, filters.offset + filters.limit);
  const names = await dataSourceNames(
    db,
    page.map((p) => ({ id: String(p.row.data_source_id), path: p.row.path })),
  );
  return page.map((p) => ({ ...viewRequest(p.row, names), mayDecide: p.mayDecide }));
}
