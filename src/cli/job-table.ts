import type { Job } from './api-types.ts';
import type { Column } from './output.ts';
import { shortTime } from './output.ts';

/** Renders a job's progress as `done/total` (`done/?` while the total is unknown). */
export function progressText(job: Pick<Job, 'progress'>): string {
  return `${job.progress.done}/${job.progress.total ?? '?'}`;
}

/** The columns of a job listing. */
export const JOB_COLUMNS: ReadonlyArray<Column<Job>> = [
  { header: 'ID', cell: (j) => j.id },
  { header: 'TYPE', cell: (j) => j.type },
  { header: 'STATE', cell: (j) => j.state },
  { header: 'PROGRESS', cell: progressText },
  { header: 'CREATED', cell: (j) => shortTime(j.createdAt) },
  { header: 'ERROR', cell: (j) => j.error },
];
