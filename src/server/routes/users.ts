import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PERMISSIONS } from '../../domain/permission.ts';
import { AppError } from '../../errors/index.ts';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { requires } from '../route-config.ts';
import { userSchema } from '../schemas/users.ts';
import { createUser } from '../services/create-user.ts';
import { updatePermissions } from '../services/update-permissions.ts';
import { getUser } from '../services/user-view.ts';

const permissionList = z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length * 2);

/** Users of the built-in identity manager: your own profile, and (as USER_ADMIN) create and grant. */
export async function userRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.store.db;

  r.get(
    '/users/me',
    {
      config: { auth: 'authenticated' },
      schema: { tags: ['users'], summary: 'Your own profile', response: { 200: userSchema } },
    },
    async (request) => {
      if (request.actor.type !== 'USER_ACTOR') throw new AppError('USER_NOT_FOUND');
      return getUser(db, request.actor.id);
    },
  );

  r.post(
    '/users',
    {
      config: { auth: requires('USER_ADMIN'), audit: 'UserCreated' },
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: z
          .object({
            username: z.string().trim().min(1).max(256),
            name: z.string().max(256).optional(),
            email: z.email().optional(),
            permissions: permissionList.optional(),
          })
          .strict(),
        response: { 201: userSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createUser(serviceContext(deps, request), request.body)),
  );

  r.get(
    '/users/:id',
    {
      config: { auth: requires('USER_ADMIN') },
      schema: {
        tags: ['users'],
        summary: 'One user',
        params: z.object({ id: z.coerce.number().int().positive() }).strict(),
        response: { 200: userSchema },
      },
    },
    async (request) => getUser(db, request.params.id),
  );

  r.put(
    '/users/:id/permissions',
    {
      config: { auth: requires('USER_ADMIN'), audit: 'PermissionsUpdated' },
      schema: {
        tags: ['users'],
        summary: "Replace a user's global permissions",
        params: z.object({ id: z.coerce.number().int().positive() }).strict(),
        body: z.object({ permissions: permissionList }).strict(),
        response: { 200: userSchema },
      },
    },
    async (request) =>
      updatePermissions(serviceContext(deps, request), request.params.id, request.body.permissions),
  );
}
