import type { Logger } from 'pino';
import type { Db } from '../store/schema.ts';

/** The final state of one item of a job. */
export type ItemStatus = 'succeeded' | 'failed' | 'skipped';

/** What a job handler gets: its job, payload, a cancellation signal and progress reporting. */
export interface JobContext<P, D> {
  readonly job: {
    readonly id: string;
    readonly bulkId: string;
    readonly type: string;
    readonly attempt: number;
  };
  readonly payload: P;
  /** Aborted when the job is cancelled, its lease is lost, it times out, or the process shuts down. */
  readonly signal: AbortSignal;
  readonly db: Db;
  readonly deps: D;
  readonly log: Logger;
  /** Reports progress; written to the store at most a few times a second. */
  progress(done: number, total?: number): void;
  /** Records the result of one item (a table, a user...), so a batch reports per-item outcomes. */
  item(item: string, status: ItemStatus, detail?: Record<string, unknown>): void;
}

/** A kind of job: its type name, retry policy and handler. */
export interface JobKind<D = unknown, P = Record<string, unknown>> {
  readonly type: string;
  readonly maxAttempts?: number;
  readonly timeoutSeconds?: number;
  /** Backoff before retry n is base * 2^(n-1), capped, with jitter. */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
  run(ctx: JobContext<P, D>): Promise<Record<string, unknown> | undefined>;
}

/** Job kinds by type name. */
export type JobRegistry<D = unknown> = ReadonlyMap<string, JobKind<D, never>>;

/** Builds a registry from job kinds, refusing duplicate type names. */
export function jobRegistry<D>(kinds: ReadonlyArray<JobKind<D, never>>): JobRegistry<D> {
  const map = new Map<string, JobKind<D, never>>();
  for (const kind of kinds) {
    if (map.has(kind.type)) throw new Error(`The job type ${kind.type} is registered twice.`);
    map.set(kind.type, kind);
  }
  return map;
}
