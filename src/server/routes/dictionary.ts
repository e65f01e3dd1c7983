import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataSourceIdSchema } from '../../datasources/data-source-row.ts';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { dictionarySchema } from '../schemas/data-sources.ts';
import { tagRefSchema } from '../schemas/tags.ts';
import { getDictionary, updateDictionary } from '../services/datasources/dictionary.ts';

const params = z.object({ dataSourceId: dataSourceIdSchema }).strict();

/** The data dictionary of the reference: each column's types, description and tags. */
export async function dictionaryRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/dictionary/:dataSourceId',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['data dictionary'],
        summary: 'The data dictionary of a data source',
        description: 'Every authenticated user may read it.',
        params,
        response: { 200: dictionarySchema },
      },
    },
    async (request) => getDictionary(deps.store.db, request.params.dataSourceId),
  );

  r.put(
    '/dictionary/:dataSourceId',
    {
      config: { auth: 'authenticated', audit: 'DictionaryUpdated' },
      schema: {
        tags: ['data dictionary'],
        summary: 'Edit column descriptions and tags',
        description:
          'Each listed column gets the description given (null clears it) and, when `tags` is given, exactly those tags. Columns not listed are unchanged; `dataType` and `remoteType` come from the platform and are ignored. Object sync keeps edited descriptions. Needs the GOVERNANCE permission, or being an owner or expert of the data source.',
        params,
        body: z
          .object({
            metadata: z
              .array(
                z
                  .object({
                    name: z.string().min(1).max(1000),
                    description: z.string().max(10_000).nullable().optional(),
                    tags: z.array(tagRefSchema).max(1000).optional(),
                    dataType: z.string().optional(),
                    remoteType: z.string().optional(),
                  })
                  .strict(),
              )
              .max(10_000),
          })
          .strict(),
        response: { 200: dictionarySchema },
      },
    },
    async (request) =>
      updateDictionary(serviceContext(deps, request), request.params.dataSourceId, request.body.metadata),
  );
}
