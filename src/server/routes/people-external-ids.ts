import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { identityTextProblem } from '../../people/text.ts';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { requires } from '../route-config.ts';
import { externalIdSchema } from '../schemas/users.ts';
import { getExternalId, listExternalIds, setExternalId } from '../services/people/external-ids.ts';

const userId = z.coerce.number().int().positive();
const connectionKey = z.string().min(1).max(128);
const principal = z.string().superRefine((text, ctx) => {
  const message = identityTextProblem(text, 256);
  if (message) ctx.addIssue({ code: 'custom', message });
});
const USER_ADMIN = requires('USER_ADMIN');
const tags = ['users'];

/**
 * External user ids: how each user is known on each connection's platform, an explicit principal,
 * `none` (not on that platform) or `unset` (their Steward username).
 */
export async function peopleExternalIdRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/users/:id/externalIds',
    {
      config: { auth: USER_ADMIN },
      schema: {
        tags,
        summary: "A user's principal on every connection",
        params: z.object({ id: userId }).strict(),
        response: { 200: z.object({ externalIds: z.array(externalIdSchema) }) },
      },
    },
    async (request) => ({ externalIds: await listExternalIds(deps.store.db, request.params.id) }),
  );

  r.get(
    '/users/:id/externalIds/:connectionKey',
    {
      config: { auth: USER_ADMIN },
      schema: {
        tags,
        summary: "A user's principal on one connection",
        params: z.object({ id: userId, connectionKey }).strict(),
        response: { 200: externalIdSchema },
      },
    },
    async (request) => getExternalId(deps.store.db, request.params.id, request.params.connectionKey),
  );

  r.put(
    '/users/:id/externalIds/:connectionKey',
    {
      config: { auth: USER_ADMIN, audit: 'ExternalUserIdChanged' },
      schema: {
        tags,
        summary: "Set a user's principal on one connection",
        params: z.object({ id: userId, connectionKey }).strict(),
        body: z.discriminatedUnion('mode', [
          z.object({ mode: z.literal('explicit'), principal }).strict(),
          z.object({ mode: z.literal('none') }).strict(),
          z.object({ mode: z.literal('unset') }).strict(),
        ]),
        response: { 200: externalIdSchema },
      },
    },
    async (request) =>
      setExternalId(
        serviceContext(deps, request),
        request.params.id,
        request.params.connectionKey,
        request.body,
      ),
  );
}
