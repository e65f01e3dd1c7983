import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { JOB_STATES, type JobRecord } from '../../jobs/queue.ts';
import { listJobItems, searchJobs, summarizeJobs } from '../../jobs/search.ts';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { dateParam, listParam, nextField, pageQuery, toPage } from '../schemas/common.ts';
import { jobSchema, jobStatusSchema } from '../schemas/jobs.ts';
import { cancel, getJob, jobScope, jobStatuses } from '../services/jobs.ts';

function publicJob(job: JobRecord): z.infer<typeof jobSchema> {
  const { payload: _payload, leaseToken: _leaseToken, timeoutSeconds: _timeout, ...rest } = job;
  return rest;
}

/**
 * The jobs API of the reference: `GET /jobs?bulkId=`, `/jobs/search`, `/jobs/summary`,
 * `POST /jobs/statuses` (long poll), plus one job, its per-item results, and cancellation.
 * Application admins see every job; other users the jobs they started.
 */
export async function jobRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.store.db;

  r.get(
    '/jobs',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['jobs'],
        summary: 'The jobs of one bulk operation',
        querystring: z.object({ bulkId: z.string().uuid(), ...pageQuery }).strict(),
        response: { 200: z.array(jobSchema) },
      },
    },
    async (request) => {
      const { bulkId, offset, size } = request.query;
      const jobs = await searchJobs(db, { ...jobScope(request.actor), bulkId, offset, limit: size });
      return jobs.map(publicJob);
    },
  );

  r.get(
    '/jobs/search',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['jobs'],
        summary: 'Search jobs by type, state and creation time, newest first',
        querystring: z
          .object({
            jobType: listParam(z.string()),
            state: listParam(z.enum(JOB_STATES)),
            bulkId: z.string().uuid().optional(),
            startDate: dateParam.optional(),
            endDate: dateParam.optional(),
            ...pageQuery,
          })
          .strict(),
        response: { 200: z.object({ jobs: z.array(jobSchema), next: nextField }) },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await searchJobs(db, { ...q, ...jobScope(request.actor), limit: q.size + 1 });
      const page = toPage(rows, q.offset, q.size);
      return { jobs: page.items.map(publicJob), next: page.next };
    },
  );

  r.get(
    '/jobs/summary',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['jobs'],
        summary: 'Counts of jobs per type and state',
        response: { 200: z.record(z.string(), z.record(z.string(), z.number().int())) },
      },
    },
    async (request) => summarizeJobs(db, jobScope(request.actor)),
  );

  r.post(
    '/jobs/statuses',
    {
      config: { auth: 'authenticated', audit: null },
      schema: {
        tags: ['jobs'],
        summary: 'States of jobs, optionally waiting for them to finish',
        body: z
          .object({
            jobIds: z.array(z.string().uuid()).min(1).max(1000),
            wait: z
              .number()
              .int()
              .min(-1)
              .default(0)
              .describe('Seconds to wait for every job to finish; -1 waits up to the server limit.'),
            pollInterval: z
              .number()
              .int()
              .min(1)
              .default(1)
              .describe('Seconds between checks while waiting.'),
          })
          .strict(),
        response: { 200: z.record(z.string(), jobStatusSchema) },
      },
    },
    async (request) => {
      const { jobIds, wait, pollInterval } = request.body;
      const controller = new AbortController();
      request.raw.once('close', () => controller.abort());
      return jobStatuses(serviceContext(deps, request), jobIds, wait, pollInterval, controller.signal);
    },
  );

  r.post(
    '/jobs/cancel',
    {
      config: { auth: 'authenticated', audit: 'JobsCancelled' },
      schema: {
        tags: ['jobs'],
        summary: 'Cancel jobs that have not finished, by id or by bulk id',
        body: z
          .object({
            jobIds: z.array(z.string().uuid()).min(1).max(1000).optional(),
            bulkId: z.string().uuid().optional(),
          })
          .strict()
          .refine((b) => b.jobIds !== undefined || b.bulkId !== undefined, {
            message: 'give jobIds or bulkId',
            path: ['jobIds'],
          }),
        response: { 200: z.object({ cancelled: z.array(z.string().uuid()) }) },
      },
    },
    async (request) => ({ cancelled: await cancel(serviceContext(deps, request), request.body) }),
  );

  r.get(
    '/jobs/:id',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['jobs'],
        summary: 'One job',
        params: z.object({ id: z.string().uuid() }).strict(),
        response: { 200: jobSchema },
      },
    },
    async (request) => publicJob(await getJob(serviceContext(deps, request), request.params.id)),
  );

  r.get(
    '/jobs/:id/items',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['jobs'],
        summary: 'Per-item results of a job',
        params: z.object({ id: z.string().uuid() }).strict(),
        querystring: z
          .object({ status: z.enum(['succeeded', 'failed', 'skipped']).optional(), ...pageQuery })
          .strict(),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                item: z.string(),
                status: z.enum(['succeeded', 'failed', 'skipped']),
                detail: z.record(z.string(), z.unknown()).nullable(),
                recordedAt: z.string(),
              }),
            ),
            next: nextField,
          }),
        },
      },
    },
    async (request) => {
      const job = await getJob(serviceContext(deps, request), request.params.id);
      const { status, offset, size } = request.query;
      const rows = await listJobItems(db, job.id, { status, offset, limit: size + 1 });
      const page = toPage(rows, offset, size);
      return { items: page.items, next: page.next };
    },
  );
}
