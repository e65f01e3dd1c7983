import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { safeErrorMessage } from '../errors/index.ts';
import type { Db } from '../store/schema.ts';
import type { ItemStatus, JobKind, JobRegistry } from './job-kind.ts';
import {
  claimJobs,
  completeJob,
  failJob,
  type JobRecord,
  type Lease,
  recordProgress,
  releaseJob,
  renewLeases,
  sweepJobs,
} from './queue.ts';

/** Tuning of a job runner. */
export interface RunnerOptions {
  readonly concurrency: number;
  /** How long a claim holds without renewal; a dead worker's jobs are picked up after this. */
  readonly leaseMs: number;
  /** How often to look for work when nothing wakes the runner. */
  readonly pollMs: number;
  /** How often to write progress of running jobs. */
  readonly progressMs: number;
}

/** Defaults suited to a server: four jobs at once, 30 s leases, a poll every second. */
export const DEFAULT_RUNNER_OPTIONS: RunnerOptions = {
  concurrency: 4,
  leaseMs: 30_000,
  pollMs: 1000,
  progressMs: 500,
};

interface Running {
  readonly job: JobRecord;
  readonly lease: Lease;
  readonly controller: AbortController;
  readonly done: Promise<void>;
  progress: { done: number; total: number | null };
  progressDirty: boolean;
  items: Array<{ item: string; status: ItemStatus; detail?: Record<string, unknown> }>;
  counts: Record<ItemStatus, number>;
}

/** The abort reason of jobs handed back at shutdown, told apart from cancellation and timeouts. */
const SHUTDOWN = new Error('The server is shutting down; the job was handed back to the queue.');

/** How long stop() waits for aborted handlers before leaving them behind. */
const ABANDON_AFTER_MS = 5000;

function backoffMs(kind: JobKind<unknown, never>, attempt: number): number {
  const { baseMs, maxMs } = kind.backoff ?? { baseMs: 1000, maxMs: 300_000 };
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.5 + Math.random() * 0.5));
}

/**
 * Runs jobs from the durable queue: claims with SKIP LOCKED, renews leases while handlers run,
 * writes progress and per-item results, retries with backoff, and on stop finishes or hands back
 * what it holds.
 */
export class JobRunner<D> {
  readonly owner = `worker-${randomUUID()}`;
  private readonly running = new Map<string, Running>();
  private stopped = true;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private timers: NodeJS.Timeout[] = [];

  private get worker() {
    return { owner: this.owner, leaseMs: this.options.leaseMs };
  }

  constructor(
    private readonly db: Db,
    private readonly registry: JobRegistry<D>,
    private readonly deps: D,
    private readonly log: Logger,
    private readonly options: RunnerOptions = DEFAULT_RUNNER_OPTIONS,
  ) {}

  /** Starts claiming and running jobs. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timers.push(setInterval(() => void this.heartbeat(), Math.max(50, this.options.leaseMs / 3)));
    this.timers.push(setInterval(() => void this.flushAll(), this.options.progressMs));
    this.loop = this.run();
  }

  /** Asks the runner to look for work now (called when a job is enqueued). */
  wake(): void {
    this.wakeUp?.();
  }

  /** The number of jobs running in this process. */
  get activeCount(): number {
    return this.running.size;
  }

  /**
   * Stops claiming, waits up to `graceMs` for running jobs to finish, then aborts and hands back the
   * rest without counting the attempt, so another worker picks them up at once.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wake();
    await this.loop;
    const all = () => Promise.allSettled([...this.running.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all().then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      const left = [...this.running.values()];
      for (const r of left) r.controller.abort(SHUTDOWN);
      for (const r of left) await releaseJob(this.db, r.lease).catch(() => {});
      // A handler that ignores its signal cannot hold shutdown: its lease is already handed back and
      // its late writes are fenced out by the lease token.
      await Promise.race([all(), new Promise((resolve) => setTimeout(resolve, ABANDON_AFTER_MS).unref())]);
    }
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  private async run(): Promise<void> {
    let lastSweep = 0;
    while (!this.stopped) {
      let claimed = 0;
      try {
        if (Date.now() - lastSweep >= this.options.pollMs) {
          lastSweep = Date.now();
          await sweepJobs(this.db);
        }
        const free = this.options.concurrency - this.running.size;
        if (free > 0) {
          const jobs = await claimJobs(this.db, this.worker, [...this.registry.keys()], free);
          claimed = jobs.length;
          for (const job of jobs) this.launch(job);
        }
      } catch (error) {
        this.log.error({ err: safeErrorMessage(error) }, 'job runner could not claim jobs');
      }
      const full = this.running.size >= this.options.concurrency;
      if (claimed > 0 && !full) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  private launch(job: JobRecord): void {
    const kind = this.registry.get(job.type);
    if (!kind) return;
    const lease: Lease = { id: job.id, token: job.leaseToken };
    const controller = new AbortController();
    const state = {
      job,
      lease,
      controller,
      progress: { done: job.progress.done, total: job.progress.total },
      progressDirty: false,
      items: [],
      counts: { succeeded: 0, failed: 0, skipped: 0 },
    } as Omit<Running, 'done'> as Running;
    (state as { done: Promise<void> }).done = this.execute(kind, state).finally(() => {
      if (this.running.get(job.id) === state) this.running.delete(job.id);
      this.wake();
    });
    this.running.set(job.id, state);
  }

  private async execute(kind: JobKind<D, never>, r: Running): Promise<void> {
    const { job, lease, controller } = r;
    const log = this.log.child({ jobId: job.id, jobType: job.type, attempt: job.attempts });
    const timeout = setTimeout(
      () => controller.abort(new Error(`The job ran longer than its limit of ${job.timeoutSeconds} s.`)),
      job.timeoutSeconds * 1000,
    );
    try {
      const output = await kind.run({
        job: { id: job.id, bulkId: job.bulkId, type: job.type, attempt: job.attempts },
        payload: job.payload as never,
        signal: controller.signal,
        db: this.db,
        deps: this.deps,
        log,
        progress: (done, total) => {
          r.progress = { done, total: total ?? r.progress.total };
          r.progressDirty = true;
        },
        item: (item, status, detail) => {
          r.items.push(detail === undefined ? { item, status } : { item, status, detail });
          r.counts[status]++;
        },
      });
      if (controller.signal.aborted) throw controller.signal.reason;
      await this.flush(r);
      const kept = await completeJob(this.db, lease, { ...(output ?? {}), items: { ...r.counts } });
      if (!kept) log.warn('job finished after losing its lease; its result was discarded');
    } catch (error) {
      if (controller.signal.reason === SHUTDOWN) return; // handed back by stop()
      await this.flush(r).catch(() => {});
      const message = safeErrorMessage(controller.signal.aborted ? controller.signal.reason : error);
      const state = await failJob(this.db, lease, message, backoffMs(kind, job.attempts), {
        items: { ...r.counts },
      }).catch(() => null);
      log.warn({ err: message, state }, 'job attempt failed');
    } finally {
      clearTimeout(timeout);
    }
  }

  private async flush(r: Running): Promise<void> {
    if (!r.progressDirty && r.items.length === 0) return;
    const items = r.items.splice(0);
    r.progressDirty = false;
    await recordProgress(this.db, r.lease, r.progress, items);
  }

  private async flushAll(): Promise<void> {
    for (const r of this.running.values()) {
      await this.flush(r).catch((error) =>
        this.log.warn({ err: safeErrorMessage(error) }, 'progress write failed'),
      );
    }
  }

  private async heartbeat(): Promise<void> {
    const leases = [...this.running.values()].map((r) => r.lease);
    if (leases.length === 0) return;
    try {
      const lost = await renewLeases(this.db, this.worker, leases);
      for (const id of lost) {
        this.running.get(id)?.controller.abort(new Error('The job was cancelled or its lease was lost.'));
      }
    } catch (error) {
      this.log.warn({ err: safeErrorMessage(error) }, 'lease renewal failed');
    }
  }
}
