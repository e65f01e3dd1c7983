import { IS_TERMINAL, JOB_STATE_NAMES, type Job, type JobState } from './api-types.ts';

/** Where the jobs of a bulk operation stand: how many finished, per-state counts, and summed progress. */
export interface BulkSummary {
  readonly jobs: number;
  readonly finished: number;
  readonly counts: Readonly<Record<JobState, number>>;
  /** Work done over all jobs; a finished job counts as all done, a job without a total as one unit. */
  readonly done: number;
  readonly total: number;
}

/** Summarizes the jobs of a bulk operation. */
export function summarizeBulk(jobs: ReadonlyArray<Pick<Job, 'state' | 'progress'>>): BulkSummary {
  const counts = Object.fromEntries(JOB_STATE_NAMES.map((s) => [s, 0])) as Record<JobState, number>;
  let finished = 0;
  let done = 0;
  let total = 0;
  for (const job of jobs) {
    counts[job.state]++;
    const terminal = IS_TERMINAL[job.state];
    if (terminal) finished++;
    const units = job.progress.total ?? 1;
    total += units;
    done += terminal ? units : job.progress.total === null ? 0 : Math.min(job.progress.done, units);
  }
  return { jobs: jobs.length, finished, counts, done, total };
}

/** Lists the non-zero counts of the given states, as `2 completed, 1 failed`. */
export function describeCounts(counts: Readonly<Record<JobState, number>>, terminal: boolean): string {
  return JOB_STATE_NAMES.filter((s) => IS_TERMINAL[s] === terminal && counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
}

/** Renders a summary as one line, such as `3/10 jobs finished (2 completed, 1 failed); 7 active; progress 45/100`. */
export function summaryLine(summary: BulkSummary): string {
  const finished = describeCounts(summary.counts, true);
  const running = describeCounts(summary.counts, false);
  return (
    `${summary.finished}/${summary.jobs} jobs finished` +
    (finished ? ` (${finished})` : '') +
    (running ? `; ${running}` : '') +
    `; progress ${summary.done}/${summary.total}`
  );
}

/** Returns true when every job is in a terminal state. */
export function allFinished(jobs: ReadonlyArray<Pick<Job, 'state'>>): boolean {
  return jobs.every((job) => IS_TERMINAL[job.state]);
}
