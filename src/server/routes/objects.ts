import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { objectPathOf } from '../object-path.ts';
import { requires } from '../route-config.ts';
import { nextField, pageQuery, toPage } from '../schemas/common.ts';
import { dataObjectSchema, dataObjectSummarySchema } from '../schemas/connections.ts';
import { crawlObject, deleteObject, updateObjectSettings } from '../services/objects/object-commands.ts';
import { getObjectView } from '../services/objects/object-view.ts';
import { searchObjects } from '../services/objects/search-objects.ts';

const READERS = requires('APPLICATION_ADMIN', 'GOVERNANCE', 'CREATE_DATA_SOURCE');
const pathParams = z.object({ '*': z.string().min(1) }).strict();
const PATH_NOTE =
  'The object path is the connection key followed by the names below it, slash-separated; percent-encode a slash inside a name as %2F.';

const searchBody = z
  .object({
    searchText: z.string().max(200).optional().describe('A case-insensitive part of the name.'),
    state: z.enum(['active', 'inactive']).optional(),
    remoteStatus: z.enum(['present', 'dropped']).optional(),
  })
  .strict()
  .default({});

const owner = z
  .object({
    type: z.enum(['user', 'group']),
    id: z.number().int().positive().optional(),
    name: z.string().min(1).optional(),
  })
  .strict()
  .refine((o) => o.id !== undefined || o.name !== undefined, { message: 'give an id or a name' });

/** The data object API of the reference: read, list children, sync, change settings, delete. */
export async function objectRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.store.db;

  r.get(
    '/data/object/*',
    {
      config: { auth: READERS },
      schema: {
        tags: ['data objects'],
        summary: 'One data object',
        description: PATH_NOTE,
        params: pathParams,
        response: { 200: dataObjectSchema },
      },
    },
    async (request) => getObjectView(db, objectPathOf(request, '/data/object/')),
  );

  const search = async (
    path: string[] | undefined,
    body: z.infer<typeof searchBody>,
    q: { offset: number; size: number },
  ) => {
    const rows = await searchObjects(db, path, { ...body, offset: q.offset, limit: q.size + 1 });
    const page = toPage(rows, q.offset, q.size);
    return { objects: page.items, next: page.next };
  };
  const searchSchema = {
    tags: ['data objects'],
    body: searchBody,
    querystring: z.object(pageQuery).strict(),
    response: { 200: z.object({ objects: z.array(dataObjectSummarySchema), next: nextField }) },
  };
  r.post(
    '/data/object/search',
    {
      config: { auth: READERS, audit: null },
      schema: { ...searchSchema, summary: 'The connections (top-level objects)' },
    },
    async (request) => search(undefined, request.body, request.query),
  );
  r.post(
    '/data/object/search/*',
    {
      config: { auth: READERS, audit: null },
      schema: {
        ...searchSchema,
        params: pathParams,
        summary: 'The children of a data object',
        description: PATH_NOTE,
      },
    },
    async (request) => search(objectPathOf(request, '/data/object/search/'), request.body, request.query),
  );

  r.post(
    '/data/crawl/*',
    {
      config: { auth: requires('APPLICATION_ADMIN'), audit: 'ObjectSyncRequested' },
      schema: {
        tags: ['data objects'],
        summary: 'Start an object sync from any level',
        description: PATH_NOTE,
        params: pathParams,
        response: { 200: z.object({ objectPath: z.array(z.string()), bulkId: z.string().uuid() }) },
      },
    },
    async (request) => crawlObject(serviceContext(deps, request), objectPathOf(request, '/data/crawl/')),
  );

  r.put(
    '/data/settings/*',
    {
      config: { auth: requires('APPLICATION_ADMIN'), audit: 'ObjectSettingsUpdated' },
      schema: {
        tags: ['data objects'],
        summary:
          'Set or clear setting overrides of a data object; descendants without their own override follow',
        description: `${PATH_NOTE} A null value removes the object's own override so it inherits again.`,
        params: pathParams,
        body: z
          .object({
            settings: z
              .object({
                isActive: z.boolean().nullable().optional(),
                activateNewChildren: z.boolean().nullable().optional(),
                dataOwners: z.array(owner).max(100).nullable().optional(),
              })
              .strict(),
          })
          .strict(),
        response: {
          200: z.object({
            objectPath: z.array(z.string()),
            bulkId: z.string().uuid().nullable(),
            object: dataObjectSchema,
          }),
        },
      },
    },
    async (request) =>
      updateObjectSettings(
        serviceContext(deps, request),
        objectPathOf(request, '/data/settings/'),
        request.body.settings,
      ),
  );

  r.delete(
    '/data/object/*',
    {
      config: { auth: requires('APPLICATION_ADMIN'), audit: 'ObjectDeleted' },
      schema: {
        tags: ['data objects'],
        summary: 'Delete a data object and everything below it (a connection entirely)',
        description: PATH_NOTE,
        params: pathParams,
        response: { 200: z.object({ objectPath: z.array(z.string()), childCount: z.number().int() }) },
      },
    },
    async (request) => deleteObject(serviceContext(deps, request), objectPathOf(request, '/data/object/')),
  );
}
