import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PERMISSIONS } from '../../domain/permission.ts';
import { AppError } from '../../errors/index.ts';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { requires } from '../route-config.ts';
import { nextField, pageQuery, toPage } from '../schemas/common.ts';
import { nameSchema, userDetailSchema, usernameSchema, userSchema } from '../schemas/users.ts';
import { createUser } from '../services/people/create-user.ts';
import { deleteUser } from '../services/people/delete-user.ts';
import { listUsers } from '../services/people/list-users.ts';
import { updateUser } from '../services/people/update-user.ts';
import { getUserDetail } from '../services/people/user-view.ts';
import { updatePermissions } from '../services/update-permissions.ts';

const permissionList = z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length * 2);
const idParams = z.object({ id: z.coerce.number().int().positive() }).strict();

/**
 * Users of the built-in identity manager: your own profile; as USER_ADMIN, search, create, change,
 * disable, delete and grant.
 */
export async function userRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.store.db;

  r.get(
    '/users/me',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['users'],
        summary: 'Your own profile, with your groups and attributes',
        response: { 200: userDetailSchema },
      },
    },
    async (request) => {
      if (request.actor.type !== 'USER_ACTOR') throw new AppError('USER_NOT_FOUND');
      return getUserDetail(db, request.actor.id);
    },
  );

  r.get(
    '/users',
    {
      config: { auth: requires('USER_ADMIN') },
      schema: {
        tags: ['users'],
        summary: 'Search users',
        querystring: z
          .object({
            search: z.string().max(256).optional().describe('A substring of the username, name or email.'),
            username: z.string().max(256).optional().describe('The exact username, in any letter case.'),
            email: z.string().max(320).optional().describe('The exact email, in any letter case.'),
            group: z.string().max(256).optional().describe('Members of the group of this name.'),
            groupId: z.coerce.number().int().positive().optional().describe('Members of this group.'),
            state: z.enum(['active', 'disabled']).optional(),
            source: z.enum(['bim', 'scim']).optional(),
            attribute: z
              .string()
              .max(400)
              .optional()
              .describe('Users with this attribute: `Key` or `Key=Value`.'),
            ...pageQuery,
          })
          .strict(),
        response: { 200: z.object({ users: z.array(userSchema), next: nextField }) },
      },
    },
    async (request) => {
      const { attribute, offset, size, ...filters } = request.query;
      const split = attribute?.indexOf('=') ?? -1;
      const rows = await listUsers(db, {
        ...filters,
        ...(attribute !== undefined
          ? {
              attribute:
                split < 0
                  ? { key: attribute }
                  : { key: attribute.slice(0, split), value: attribute.slice(split + 1) },
            }
          : {}),
        offset,
        limit: size + 1,
      });
      const page = toPage(rows, offset, size);
      return { users: page.items, next: page.next };
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
            username: z.string().trim().pipe(usernameSchema),
            name: nameSchema.optional(),
            email: z.email().max(320).optional(),
            permissions: permissionList.optional(),
          })
          .strict(),
        response: { 201: userDetailSchema },
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
        summary: 'One user, with their groups and attributes',
        params: idParams,
        response: { 200: userDetailSchema },
      },
    },
    async (request) => getUserDetail(db, request.params.id),
  );

  r.put(
    '/users/:id',
    {
      config: { auth: requires('USER_ADMIN'), audit: 'UserUpdated' },
      schema: {
        tags: ['users'],
        summary: 'Change a user: the fields given change, the others stay; null clears',
        description: 'Set `state` to `disabled` to stop every API key of the user at once.',
        params: idParams,
        body: z
          .object({
            name: nameSchema.nullable().optional(),
            email: z.email().max(320).nullable().optional(),
            givenName: nameSchema.nullable().optional(),
            familyName: nameSchema.nullable().optional(),
            state: z.enum(['active', 'disabled']).optional(),
          })
          .strict(),
        response: { 200: userDetailSchema },
      },
    },
    async (request) => updateUser(serviceContext(deps, request), request.params.id, request.body),
  );

  r.delete(
    '/users/:id',
    {
      config: { auth: requires('USER_ADMIN'), audit: 'UserDeleted' },
      schema: {
        tags: ['users'],
        summary: 'Delete a user with their API keys, memberships, attributes and external ids',
        params: idParams,
        response: { 200: userSchema },
      },
    },
    async (request) => deleteUser(serviceContext(deps, request), request.params.id),
  );

  r.put(
    '/users/:id/permissions',
    {
      config: { auth: requires('USER_ADMIN'), audit: 'PermissionsUpdated' },
      schema: {
        tags: ['users'],
        summary: "Replace a user's global permissions",
        params: idParams,
        body: z.object({ permissions: permissionList }).strict(),
        response: { 200: userDetailSchema },
      },
    },
    async (request) => {
      await updatePermissions(serviceContext(deps, request), request.params.id, request.body.permissions);
      return getUserDetail(db, request.params.id);
    },
  );
}
