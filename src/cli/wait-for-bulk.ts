import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from './api-types.ts';
import { allFinished } from './bulk-summary.ts';
import { CliError } from './cli-error.ts';
import type { ApiClient } from './client.ts';

const PAGE_SIZE = 1000;

/** Returns every job of a bulk operation, reading `GET /jobs?bulkId=` page by page. */
export async function listBulk(client: ApiClient, bulkId: string): Promise<Job[]> {
  const jobs: Job[] = [];
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await client.get<Job[]>('/jobs', { bulkId, offset, size: PAGE_SIZE });
    jobs.push(...page);
    if (page.length < PAGE_SIZE) return jobs;
  }
}

/** How to wait for a bulk operation. */
export interface WaitOptions {
  /** Give up after this long; wait forever when absent. */
  readonly timeoutMs?: number | undefined;
  /** The longest pause between two polls (the first polls come sooner). */
  readonly maxPollMs?: number;
  /** Called with the jobs after every poll. */
  readonly onUpdate: (jobs: readonly Job[]) => void;
}

/** The jobs of a bulk operation when every one finished, or as they stood when the wait timed out. */
export interface WaitResult {
  readonly jobs: readonly Job[];
  readonly timedOut: boolean;
}

/**
 * Polls the jobs of a bulk operation until all of them are terminal or the timeout passes; fails when
 * the bulk id has no jobs (unknown, or not visible to this key).
 */
export async function waitForBulk(
  client: ApiClient,
  bulkId: string,
  options: WaitOptions,
): Promise<WaitResult> {
  const deadline =
    options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutMs;
  const maxPollMs = options.maxPollMs ?? 1000;
  let jobs = await listBulk(client, bulkId);
  if (jobs.length === 0) throw new CliError(`there are no jobs with bulk id ${bulkId} (or none you may see)`);
  options.onUpdate(jobs);
  let pause = 200;
  while (!allFinished(jobs)) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return { jobs, timedOut: true };
    await sleep(Math.min(pause, remaining));
    pause = Math.min(pause * 2, maxPollMs);
    jobs = await listBulk(client, bulkId);
    options.onUpdate(jobs);
  }
  return { jobs, timedOut: false };
}
