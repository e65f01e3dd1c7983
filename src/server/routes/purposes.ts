import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { requires } from '../route-config.ts';
import { nextField, pageQuery, toPage } from '../schemas/common.ts';
import { purposeSchema } from '../schemas/policies.ts';
import { createPurpose } from '../services/purposes/create-purpose.ts';
import { deletePurpose } from '../services/purposes/delete-purpose.ts';
import { listPurposes } from '../services/purposes/purpose-view.ts';
import { getUserPurposes, setUserPurposes } from '../services/purposes/user-purposes.ts';

const MANAGERS = requires('GOVERNANCE', 'PROJECT_MANAGEMENT');
const PEOPLE = requires('USER_ADMIN', 'GOVERNANCE');
const idParams = z.object({ id: z.coerce.number().int().positive() }).strict();
const userPurposesSchema = z.object({
  userId: z.number().int(),
  purposes: z.array(z.object({ id: z.number().int(), name: z.string() })),
});

/** Purposes (what people say they use data for) and the purposes each user acts under. */
export async function purposeRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.store.db;

  r.get(
    '/purpose',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['purposes'],
        summary: 'List purposes',
        querystring: z
          .object({
            searchText: z.string().max(200).optional().describe('A case-insensitive part of the name.'),
            ...pageQuery,
          })
          .strict(),
        response: { 200: z.object({ purposes: z.array(purposeSchema), next: nextField }) },
      },
    },
    async (request) => {
      const { offset, size, searchText } = request.query;
      const page = toPage(await listPurposes(db, { searchText, offset, limit: size + 1 }), offset, size);
      return { purposes: page.items, next: page.next };
    },
  );

  r.post(
    '/purpose',
    {
      config: { auth: MANAGERS, audit: 'PurposeCreated' },
      schema: {
        tags: ['purposes'],
        summary: 'Create a purpose',
        description: 'Names are unique regardless of case (PURPOSE_TAKEN).',
        body: z
          .object({ name: z.string().trim().min(1).max(256), description: z.string().max(2000).optional() })
          .strict(),
        response: { 201: purposeSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createPurpose(serviceContext(deps, request), request.body)),
  );

  r.delete(
    '/purpose/:id',
    {
      config: { auth: MANAGERS, audit: 'PurposeDeleted' },
      schema: {
        tags: ['purposes'],
        summary: 'Delete a purpose',
        description:
          'The people acting under it no longer do; policies naming it stay, and nobody meets them.',
        params: idParams,
        response: { 200: purposeSchema },
      },
    },
    async (request) => deletePurpose(serviceContext(deps, request), request.params.id),
  );

  r.get(
    '/users/:id/purposes',
    {
      config: { auth: PEOPLE },
      schema: {
        tags: ['purposes'],
        summary: 'The purposes a user acts under',
        params: idParams,
        response: { 200: userPurposesSchema },
      },
    },
    async (request) => getUserPurposes(db, request.params.id),
  );

  r.put(
    '/users/:id/purposes',
    {
      config: { auth: PEOPLE, audit: 'UserPurposesUpdated' },
      schema: {
        tags: ['purposes'],
        summary: 'Set the purposes a user acts under',
        description:
          'Replaces the set; names match regardless of case and must exist (PURPOSE_NOT_FOUND). The platforms learn the change with the next entitlement sync.',
        params: idParams,
        body: z.object({ purposes: z.array(z.string().min(1).max(256)).max(1000) }).strict(),
        response: { 200: userPurposesSchema },
      },
    },
    async (request) =>
      setUserPurposes(serviceContext(deps, request), request.params.id, request.body.purposes),
  );
}
