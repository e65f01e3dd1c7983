import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { requires } from '../route-config.ts';
import { nextField, pageQuery, toPage } from '../schemas/common.ts';
import { groupMemberSchema, groupSchema, nameSchema } from '../schemas/users.ts';
import { createGroup } from '../services/people/create-group.ts';
import { deleteGroup } from '../services/people/delete-group.ts';
import { addGroupMembers, listGroupMembers, removeGroupMember } from '../services/people/group-members.ts';
import { getGroup } from '../services/people/group-view.ts';
import { listGroups } from '../services/people/list-groups.ts';
import { updateGroup } from '../services/people/update-group.ts';

const id = z.coerce.number().int().positive();
const idParams = z.object({ id }).strict();
const description = z.string().max(2000);
const USER_ADMIN = requires('USER_ADMIN');
const tags = ['groups'];

/** Groups of the built-in identity manager and their members. */
export async function peopleGroupRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.store.db;

  r.get(
    '/groups',
    {
      config: { auth: USER_ADMIN },
      schema: {
        tags,
        summary: 'Search groups',
        querystring: z
          .object({
            search: z.string().max(256).optional().describe('A substring of the name or description.'),
            name: z.string().max(256).optional().describe('The exact name, in any letter case.'),
            memberId: id.optional().describe('Groups this user is a member of.'),
            ...pageQuery,
          })
          .strict(),
        response: { 200: z.object({ groups: z.array(groupSchema), next: nextField }) },
      },
    },
    async (request) => {
      const { offset, size, ...filters } = request.query;
      const page = toPage(await listGroups(db, { ...filters, offset, limit: size + 1 }), offset, size);
      return { groups: page.items, next: page.next };
    },
  );

  r.post(
    '/groups',
    {
      config: { auth: USER_ADMIN, audit: 'GroupCreated' },
      schema: {
        tags,
        summary: 'Create a group',
        body: z
          .object({ name: z.string().trim().pipe(nameSchema), description: description.optional() })
          .strict(),
        response: { 201: groupSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createGroup(serviceContext(deps, request), request.body)),
  );

  r.get(
    '/groups/:id',
    {
      config: { auth: USER_ADMIN },
      schema: { tags, summary: 'One group', params: idParams, response: { 200: groupSchema } },
    },
    async (request) => getGroup(db, request.params.id),
  );

  r.put(
    '/groups/:id',
    {
      config: { auth: USER_ADMIN, audit: 'GroupUpdated' },
      schema: {
        tags,
        summary: 'Rename a group or change its description; absent fields stay',
        params: idParams,
        body: z
          .object({
            name: z.string().trim().pipe(nameSchema).optional(),
            description: description.nullable().optional(),
          })
          .strict(),
        response: { 200: groupSchema },
      },
    },
    async (request) => updateGroup(serviceContext(deps, request), request.params.id, request.body),
  );

  r.delete(
    '/groups/:id',
    {
      config: { auth: USER_ADMIN, audit: 'GroupDeleted' },
      schema: {
        tags,
        summary: 'Delete a group; its members stay users',
        params: idParams,
        response: { 200: groupSchema },
      },
    },
    async (request) => deleteGroup(serviceContext(deps, request), request.params.id),
  );

  r.get(
    '/groups/:id/members',
    {
      config: { auth: USER_ADMIN },
      schema: {
        tags,
        summary: 'The members of a group',
        params: idParams,
        querystring: z.object({ ...pageQuery }).strict(),
        response: { 200: z.object({ members: z.array(groupMemberSchema), next: nextField }) },
      },
    },
    async (request) => {
      const { offset, size } = request.query;
      const rows = await listGroupMembers(db, request.params.id, offset, size + 1);
      const page = toPage(rows, offset, size);
      return { members: page.items, next: page.next };
    },
  );

  r.post(
    '/groups/:id/members',
    {
      config: { auth: USER_ADMIN, audit: 'GroupMemberAdded' },
      schema: {
        tags,
        summary: 'Add users to a group; users already in it are left as they are',
        params: idParams,
        body: z.object({ userIds: z.array(z.number().int().positive()).min(1).max(1000) }).strict(),
        response: { 200: groupSchema },
      },
    },
    async (request) =>
      addGroupMembers(serviceContext(deps, request), request.params.id, request.body.userIds),
  );

  r.delete(
    '/groups/:id/members/:userId',
    {
      config: { auth: USER_ADMIN, audit: 'GroupMemberRemoved' },
      schema: {
        tags,
        summary: 'Remove a user from a group',
        params: z.object({ id, userId: id }).strict(),
        response: { 200: groupSchema },
      },
    },
    async (request) =>
      removeGroupMember(serviceContext(deps, request), request.params.id, request.params.userId),
  );
}
