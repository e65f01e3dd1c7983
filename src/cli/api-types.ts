import type { z } from 'zod';
import { IS_TERMINAL, JOB_STATES, type JobState } from '../jobs/job-state.ts';
import type { apiKeySchema } from '../server/schemas/api-keys.ts';
import type { auditEventSchema } from '../server/schemas/audit.ts';
import type {
  connectionViewSchema,
  dataObjectSchema,
  dataObjectSummarySchema,
  validationTestSchema,
} from '../server/schemas/connections.ts';
import type { jobSchema } from '../server/schemas/jobs.ts';
import type { userSchema } from '../server/schemas/users.ts';

/** The job states, as the server defines them. */
export { IS_TERMINAL, type JobState };

/** Every job state, in lifecycle order. */
export const JOB_STATE_NAMES: readonly JobState[] = JOB_STATES;

/** A job as `GET /jobs` returns it. */
export type Job = z.infer<typeof jobSchema>;

/** An audit event as `GET /audit` returns it. */
export type AuditEvent = z.infer<typeof auditEventSchema>;

/** The outcomes an audit event can record. */
export const AUDIT_STATUSES = ['success', 'failure', 'denied'] as const;

/** An API key as listings show it (never the key itself). */
export type ApiKeyView = z.infer<typeof apiKeySchema>;

/** A user as `GET /users/me` returns it. */
export type User = z.infer<typeof userSchema>;

/** One page of a paged listing: `next` is the offset of the next page, or null. */
export type Next = number | null;

/** One validation test of a connection dry run, as `POST /data/connection/test` reports it. */
export type ValidationTest = z.infer<typeof validationTestSchema>;

/** A stored connection as `GET /data/connection/{key}` returns it, secrets shown as `[REDACTED]`. */
export type ConnectionView = z.infer<typeof connectionViewSchema>;

/** A data object as `GET /data/object/{objectPath}` returns it. */
export type DataObject = z.infer<typeof dataObjectSchema>;

/** A data object as object searches list it. */
export type DataObjectSummary = z.infer<typeof dataObjectSummarySchema>;

/** The answer of an operation that started an object sync: the object and the sync's bulk id. */
export interface SyncStarted {
  readonly objectPath: string[];
  readonly bulkId: string;
}
