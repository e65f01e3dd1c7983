import { z } from 'zod';
import { JOB_STATES } from '../../jobs/queue.ts';

/** A job as the API returns it. */
export const jobSchema = z
  .object({
    id: z.string().uuid(),
    bulkId: z.string().uuid(),
    type: z.string(),
    state: z.enum(JOB_STATES),
    output: z.record(z.string(), z.unknown()).nullable(),
    progress: z.object({ done: z.number().int(), total: z.number().int().nullable() }),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    error: z.string().nullable(),
    createdBy: z.number().int().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    runAfter: z.string(),
  })
  .meta({ id: 'Job' });

/** The status of one job in `POST /jobs/statuses`. */
export const jobStatusSchema = z
  .object({
    id: z.string().uuid(),
    state: z.enum(JOB_STATES),
    output: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'JobStatus' });
