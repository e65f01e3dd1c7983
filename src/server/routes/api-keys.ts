import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, fieldError } from '../../errors/index.ts';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { apiKeySchema } from '../schemas/api-keys.ts';
import { nextField, pageQuery, toPage } from '../schemas/common.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../services/api-keys.ts';

const MAX_DAYS = 3650;

/** API keys: list, create (the key is shown once) and revoke; your own, or anyone's as USER_ADMIN. */
export async function apiKeyRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/apikeys',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['api keys'],
        summary: 'List API keys (your own; USER_ADMIN may name another user)',
        querystring: z
          .object({ userId: z.coerce.number().int().positive().optional(), ...pageQuery })
          .strict(),
        response: { 200: z.object({ apiKeys: z.array(apiKeySchema), next: nextField }) },
      },
    },
    async (request) => {
      const ctx = serviceContext(deps, request);
      const { userId, offset, size } = request.query;
      const owner = userId ?? (request.actor.type === 'USER_ACTOR' ? request.actor.id : -1);
      const page = toPage(await listApiKeys(ctx, owner, offset, size), offset, size);
      return { apiKeys: page.items, next: page.next };
    },
  );

  r.post(
    '/apikeys',
    {
      config: { auth: 'authenticated', audit: 'ApiKeyCreated' },
      schema: {
        tags: ['api keys'],
        summary: 'Create an API key; the response is the only time the key is shown',
        body: z
          .object({
            name: z.string().trim().min(1).max(200),
            userId: z.number().int().positive().optional().describe('Another user (needs USER_ADMIN).'),
            expiresAt: z.iso.datetime({ offset: true }).optional().describe('When the key stops working.'),
            expiresInDays: z.number().int().min(1).max(MAX_DAYS).optional(),
          })
          .strict(),
        response: { 201: apiKeySchema.extend({ key: z.string() }) },
      },
    },
    async (request, reply) => {
      const { name, userId, expiresAt, expiresInDays } = request.body;
      if (expiresAt !== undefined && expiresInDays !== undefined) {
        throw new AppError('REQUEST_INVALID', 'Give expiresAt or expiresInDays, not both.', {
          errors: [
            fieldError('body', ['expiresAt'], 'conflicts with expiresInDays'),
            fieldError('body', ['expiresInDays'], 'conflicts with expiresAt'),
          ],
        });
      }
      const expiry =
        expiresAt !== undefined
          ? new Date(expiresAt)
          : expiresInDays !== undefined
            ? new Date(Date.now() + expiresInDays * 86_400_000)
            : undefined;
      if (expiry !== undefined && expiry.getTime() <= Date.now()) {
        throw new AppError('REQUEST_INVALID', 'expiresAt must be in the future.', {
          errors: [fieldError('body', ['expiresAt'], 'must be in the future')],
        });
      }
      const created = await createApiKey(serviceContext(deps, request), { name, userId, expiresAt: expiry });
      reply.header('cache-control', 'no-store');
      return reply.status(201).send(created);
    },
  );

  r.delete(
    '/apikeys/:id',
    {
      config: { auth: 'authenticated', audit: 'ApiKeyRevoked' },
      schema: {
        tags: ['api keys'],
        summary: 'Revoke an API key; it stops working at once',
        params: z.object({ id: z.coerce.number().int().positive() }).strict(),
        response: { 200: apiKeySchema },
      },
    },
    async (request) => revokeApiKey(serviceContext(deps, request), request.params.id),
  );
}
