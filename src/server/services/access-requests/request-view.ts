import type { Db } from '../../../store/schema.ts';

/** An access request as the API shows it. */
export interface AccessRequestView {
  readonly id: number;
  readonly dataSourceId: string;
  readonly dataSourceName: string;
  readonly userId: number;
  readonly username: string;
  readonly state: 'pending' | 'approved' | 'denied' | 'withdrawn';
  readonly reason: string | null;
  readonly requestedAt: string;
  readonly decidedAt: string | null;
  readonly decidedBy: number | null;
  readonly decisionNote: string | null;
}

/** Selects access requests with their requester's username and their data source's path. */
export function requestQuery(db: Db) {
  return db
    .selectFrom('access_requests as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .innerJoin('data_objects as o', 'o.id', 'r.data_source_id')
    .select([
      'r.id',
      'r.data_source_id',
      'r.user_id',
      'u.username',
      'r.state',
      'r.reason',
      'r.requested_at',
      'r.decided_at',
      'r.decided_by',
      'r.decision_note',
      'o.path',
    ]);
}

/** A row of `requestQuery`. */
export type RequestRow = Awaited<ReturnType<ReturnType<typeof requestQuery>['executeTakeFirstOrThrow']>>;

/** Builds the view of a request row; `names` maps data source ids to their names. */
export function viewRequest(row: RequestRow, names: ReadonlyMap<string, string>): AccessRequestView {
  return {
    id: row.id,
    dataSourceId: String(row.data_source_id),
    dataSourceName: names.get(String(row.data_source_id)) ?? row.path.slice(1).join('.'),
    userId: row.user_id,
    username: row.username,
    state: row.state,
    reason: row.reason,
    requestedAt: new Date(row.requested_at).toISOString(),
    decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
    decidedBy: row.decided_by,
    decisionNote: row.decision_note,
  };
}
