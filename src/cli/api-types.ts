import type { JobState } from '../jobs/queue.ts';

/** The state of a job, as the server defines it. */
export type { JobState };

/** Whether each job state is terminal; a Record so a new state fails to compile until it is classified. */
export const IS_TERMINAL: Readonly<Record<JobState, boolean>> = {
  created: false,
  active: false,
  retry: false,
  completed: true,
  failed: true,
  cancelled: true,
  expired: true,
};

/** Every job state, in lifecycle order. */
export const JOB_STATE_NAMES = Object.keys(IS_TERMINAL) as JobState[];

/** A job as `GET /jobs` returns it. */
export interface Job {
  readonly id: string;
  readonly bulkId: string;
  readonly type: string;
  readonly state: JobState;
  readonly output: Record<string, unknown> | null;
  readonly progress: { readonly done: number; readonly total: number | null };
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly error: string | null;
  readonly createdBy: number | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly runAfter: string;
}

/** An audit event as `GET /audit` returns it. */
export interface AuditEvent {
  readonly id: string;
  readonly eventTimestamp: string;
  readonly actor: { readonly type?: string; readonly id?: number | string; readonly name?: string };
  readonly action: string;
  readonly actionStatus: 'success' | 'failure' | 'denied';
  readonly targetType: string | null;
  readonly targets: ReadonlyArray<{ readonly type?: string; readonly id?: string | number }>;
  readonly payload: Record<string, unknown>;
  readonly requestId: string | null;
  readonly actorIp: string | null;
}

/** The outcomes an audit event can record. */
export const AUDIT_STATUSES = ['success', 'failure', 'denied'] as const;

/** An API key as listings show it (never the key itself). */
export interface ApiKeyView {
  readonly id: number;
  readonly userId: number;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

/** A user as `GET /users/me` returns it. */
export interface User {
  readonly id: number;
  readonly username: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly state: 'active' | 'disabled';
  readonly permissions: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One page of a paged listing: `next` is the offset of the next page, or null. */
export type Next = number | null;
