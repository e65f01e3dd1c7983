import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataSourceIdSchema } from '../../datasources/data-source-row.ts';
import { tagNameSchema } from '../../tags/tag-name.ts';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { discoveryResults, reviewDiscoveredTag } from '../services/discovery/results.ts';
import { runDiscovery } from '../services/discovery/run.ts';

/** A data source id as a numeric string or a number, as the reference's clients send either. */
const dataSourceIdInput = z.union([dataSourceIdSchema, z.number().int().positive().transform(String)]);

const runBody = z
  .object({
    dataSourceIds: z
      .array(dataSourceIdInput)
      .min(1)
      .max(10_000)
      .optional()
      .describe('Data sources to discover (numbers or numeric strings).'),
    connectionKey: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('Discover every data source of a connection.'),
    objectPath: z
      .array(z.string().min(1).max(1000))
      .min(1)
      .max(4)
      .optional()
      .describe('Discover every data source below an object: `[connectionKey, database?, schema?, table?]`.'),
    mode: z
      .enum(['all', 'newColumns'])
      .default('all')
      .describe(
        '`all` re-discovers every column (discovered tags no longer found and not confirmed are removed); `newColumns` only columns discovery has never seen, leaving the others alone.',
      ),
    dryRun: z
      .boolean()
      .default(false)
      .describe('Report the tags that would change without applying or storing anything.'),
    template: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .describe('Run this framework instead of the one each data source has (for a dry run of a framework).'),
  })
  .strict();

const reviewBody = z
  .object({
    dataSourceId: dataSourceIdInput,
    column: z.string().min(1).max(1000),
    tag: tagNameSchema,
  })
  .strict();

const reviewResponse = z.object({
  dataSourceId: z.string(),
  column: z.string(),
  tag: z.string(),
  status: z.enum(['active', 'rejected']),
  confirmed: z.boolean(),
});

/** Running discovery, reading its results, and reviewing the tags it applied. */
export async function discoveryRunRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/sdd/run',
    {
      config: { auth: 'authenticated', audit: 'SddRunRequested' },
      schema: {
        tags: ['discovery'],
        summary: 'Run sensitive data discovery',
        description:
          'Give exactly one of `dataSourceIds`, `connectionKey` or `objectPath`. Starts one job per connection under one `bulkId` (follow it with `GET /jobs?bulkId=`); each data source is an item of its job, whose detail lists per column the identifier found and the tags added, removed, or not re-applied because a data owner rejected them. Discovery runs inside the platform: only hit counts leave it. A connection or path needs the GOVERNANCE permission; named data sources need GOVERNANCE or being an owner or expert of each.',
        body: runBody,
        response: {
          200: z.object({
            bulkId: z.string().uuid(),
            jobs: z.array(
              z.object({ id: z.string().uuid(), connectionKey: z.string(), dataSources: z.number().int() }),
            ),
            dataSources: z.number().int(),
          }),
        },
      },
    },
    async (request) => runDiscovery(serviceContext(deps, request), request.body),
  );

  r.get(
    '/dataSource/:id/discovery',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['discovery'],
        summary: 'What discovery found on each column of a data source',
        description:
          'Per column: the hit rate of every identifier that matched a sampled value, the identifier chosen, the tags applied, where it was evaluated, the framework, when; and the review status of each discovered tag. Sampled values are never stored.',
        params: z.object({ id: dataSourceIdSchema }).strict(),
        response: {
          200: z.object({
            dataSourceId: z.string(),
            columns: z.array(
              z.object({
                column: z.string(),
                identifier: z.string().nullable(),
                tags: z.array(z.string()),
                nameMatches: z.array(z.string()),
                hitRates: z.record(z.string(), z.number()),
                sampled: z.number().int(),
                evaluatedIn: z.string(),
                framework: z.string(),
                discoveredAt: z.string(),
                review: z.array(
                  z.object({
                    tag: z.string(),
                    status: z.enum(['active', 'rejected']),
                    confirmed: z.boolean(),
                  }),
                ),
              }),
            ),
          }),
        },
      },
    },
    async (request) => discoveryResults(serviceContext(deps, request), request.params.id),
  );

  for (const decision of ['confirm', 'reject'] as const) {
    r.post(
      `/sdd/tags/${decision}`,
      {
        config: {
          auth: 'authenticated',
          audit: decision === 'confirm' ? 'DiscoveredTagConfirmed' : 'DiscoveredTagRejected',
        },
        schema: {
          tags: ['discovery'],
          summary: decision === 'confirm' ? 'Confirm a discovered tag' : 'Reject a discovered tag',
          description:
            decision === 'confirm'
              ? 'A confirmed tag stays even when a later run no longer finds it; confirming a rejected tag restores it. Needs GOVERNANCE, or being an owner or expert of the data source.'
              : 'A rejected tag leaves the column and later runs do not apply it again. Needs GOVERNANCE, or being an owner or expert of the data source.',
          body: reviewBody,
          response: { 200: reviewResponse },
        },
      },
      async (request) => reviewDiscoveredTag(serviceContext(deps, request), request.body, decision),
    );
  }
}
