import type { Db } from '../store/schema.ts';
import { JOB_STATES, type JobState } from './job-state.ts';
import { type JobRecord, toJobRecord } from './queue.ts';

/** Limits a query to the jobs one user created; `undefined` means every job. */
export type JobScope = { readonly createdBy?: number | undefined };

/** Filters of `GET /jobs/search`. */
export interface JobSearch extends JobScope {
  readonly jobType?: readonly string[] | undefined;
  readonly state?: readonly JobState[] | undefined;
  readonly bulkId?: string | undefined;
  readonly startDate?: Date | undefined;
  readonly endDate?: Date | undefined;
  readonly offset: number;
  /** Rows to fetch (callers ask for one more than a page to learn whether another page exists). */
  readonly limit: number;
}

/** Returns matching jobs, newest first. */
export async function searchJobs(db: Db, search: JobSearch): Promise<JobRecord[]> {
  let query = db.selectFrom('jobs').selectAll();
  if (search.createdBy !== undefined) query = query.where('created_by', '=', search.createdBy);
  if (search.jobType?.length) query = query.where('type', 'in', [...search.jobType]);
  if (search.state?.length) query = query.where('state', 'in', [...search.state]);
  if (search.bulkId) query = query.where('bulk_id', '=', search.bulkId);
  if (search.startDate) query = query.where('created_at', '>=', search.startDate);
  if (search.endDate) query = query.where('created_at', '<', search.endDate);
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .offset(search.offset)
    .limit(search.limit)
    .execute();
  return rows.map(toJobRecord);
}

/** Returns the jobs with the given ids that are in scope. */
export async function getJobs(db: Db, ids: readonly string[], scope: JobScope): Promise<JobRecord[]> {
  if (ids.length === 0) return [];
  let query = db
    .selectFrom('jobs')
    .selectAll()
    .where('id', 'in', [...ids]);
  if (scope.createdBy !== undefined) query = query.where('created_by', '=', scope.createdBy);
  return (await query.execute()).map(toJobRecord);
}

/** Counts of jobs per type and state: `{type: {created: n, active: n, ..., total: n}}`. */
export type JobSummary = Record<string, Record<JobState | 'total', number>>;

/** Returns the number of jobs in each state, per job type. */
export async function summarizeJobs(db: Db, scope: JobScope): Promise<JobSummary> {
  let query = db
    .selectFrom('jobs')
    .select(['type', 'state', (eb) => eb.fn.countAll<string>().as('count')])
    .groupBy(['type', 'state']);
  if (scope.createdBy !== undefined) query = query.where('created_by', '=', scope.createdBy);
  const summary: JobSummary = {};
  for (const row of await query.execute()) {
    let entry = summary[row.type];
    if (!entry) {
      entry = Object.fromEntries([...JOB_STATES, 'total'].map((s) => [s, 0])) as Record<
        JobState | 'total',
        number
      >;
      summary[row.type] = entry;
    }
    entry[row.state] = Number(row.count);
    entry.total += Number(row.count);
  }
  return summary;
}

/** One recorded item result of a job. */
export interface JobItemView {
  readonly item: string;
  readonly status: 'succeeded' | 'failed' | 'skipped';
  readonly detail: Record<string, unknown> | null;
  readonly recordedAt: string;
}

/** Returns a job's per-item results in item order, optionally only those with one status. */
export async function listJobItems(
  db: Db,
  jobId: string,
  filter: { status?: JobItemView['status'] | undefined; offset: number; limit: number },
): Promise<JobItemView[]> {
  let query = db.selectFrom('job_items').selectAll().where('job_id', '=', jobId);
  if (filter.status) query = query.where('status', '=', filter.status);
  const rows = await query.orderBy('item').offset(filter.offset).limit(filter.limit).execute();
  return rows.map((r) => ({
    item: r.item,
    status: r.status,
    detail: r.detail as Record<string, unknown> | null,
    recordedAt: r.recorded_at.toISOString(),
  }));
}
