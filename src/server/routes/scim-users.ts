import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { etagOf } from '../../scim/etag.ts';
import { parseFilter } from '../../scim/filter/parse.ts';
import { project } from '../../scim/projection.ts';
import { USER_SCHEMA } from '../../scim/urns.ts';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { requires } from '../route-config.ts';
import { deleteUser } from '../services/people/delete-user.ts';
import { createScimUser } from '../services/people/scim-create-user.ts';
import { patchScimUser } from '../services/people/scim-patch-user.ts';
import { getScimUser, listScimUsers, scimId } from '../services/people/scim-read.ts';
import { replaceScimUser } from '../services/people/scim-replace-user.ts';
import { SCIM_CONTENT_TYPE, sendSavedResource } from './scim-errors.ts';
import {
  baseUrlOf,
  ifMatchOf,
  listQuerySchema,
  pageOf,
  projectionOf,
  projectionQuery,
  scimErrors,
  scimIdParams,
  scimListSchema,
  scimResourceSchema,
} from './scim-schemas.ts';

const USER_ADMIN = requires('USER_ADMIN');
const tags = ['scim'];
const body = z
  .record(z.string(), z.unknown())
  .describe('A SCIM User (urn:ietf:params:scim:schemas:core:2.0:User).');
const patchBody = z
  .record(z.string(), z.unknown())
  .describe('A PatchOp (urn:ietf:params:scim:api:messages:2.0:PatchOp) with Operations.');
const projection = z.object(projectionQuery);

/** SCIM Users: list with filters, create, read, replace, patch, delete. */
export async function scimUserRoutes(scope: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = scope.withTypeProvider<ZodTypeProvider>();
  const db = deps.store.db;

  r.get(
    '/Users',
    {
      config: { auth: USER_ADMIN },
      schema: {
        tags,
        summary: 'List users, with an optional SCIM filter and paging',
        querystring: listQuerySchema,
        response: { 200: scimListSchema, ...scimErrors },
      },
    },
    async (request, reply) => {
      const { filter } = request.query;
      const list = await listScimUsers(
        db,
        {
          filter: filter ? parseFilter(filter) : undefined,
          ...pageOf(request.query),
          projection: projectionOf(request.query),
        },
        baseUrlOf(request),
      );
      return reply.type(SCIM_CONTENT_TYPE).send(list);
    },
  );

  r.post(
    '/Users',
    {
      config: { auth: USER_ADMIN, audit: 'UserCreated' },
      schema: {
        tags,
        summary: 'Create a user',
        querystring: projection,
        body,
        response: { 201: scimResourceSchema, ...scimErrors },
      },
    },
    async (request, reply) => {
      const created = await createScimUser(serviceContext(deps, request), request.body, baseUrlOf(request));
      const meta = created.resource['meta'] as { location: string };
      return reply
        .status(201)
        .type(SCIM_CONTENT_TYPE)
        .header('location', meta.location)
        .header('etag', etagOf(created.version))
        .send(project(created.resource, projectionOf(request.query), USER_SCHEMA));
    },
  );

  r.get(
    '/Users/:id',
    {
      config: { auth: USER_ADMIN },
      schema: {
        tags,
        summary: 'One user',
        params: scimIdParams,
        querystring: projection,
        response: { 200: scimResourceSchema, ...scimErrors },
      },
    },
    async (request, reply) => {
      const found = await getScimUser(db, request.params.id, projectionOf(request.query), baseUrlOf(request));
      return reply.type(SCIM_CONTENT_TYPE).header('etag', etagOf(found.version)).send(found.resource);
    },
  );

  r.put(
    '/Users/:id',
    {
      config: { auth: USER_ADMIN, audit: 'UserUpdated' },
      schema: {
        tags,
        summary: 'Replace a user (If-Match honoured)',
        params: scimIdParams,
        querystring: projection,
        body,
        response: { 200: scimResourceSchema, ...scimErrors },
      },
    },
    async (request, reply) => {
      const saved = await replaceScimUser(
        serviceContext(deps, request),
        request.params.id,
        request.body,
        ifMatchOf(request),
        baseUrlOf(request),
      );
      return sendSavedResource(reply, saved, projectionOf(request.query), USER_SCHEMA);
    },
  );

  r.patch(
    '/Users/:id',
    {
      config: { auth: USER_ADMIN, audit: 'UserUpdated' },
      schema: {
        tags,
        summary: 'Change a user with PATCH operations (If-Match honoured)',
        params: scimIdParams,
        querystring: projection,
        body: patchBody,
        response: { 200: scimResourceSchema, ...scimErrors },
      },
    },
    async (request, reply) => {
      const saved = await patchScimUser(
        serviceContext(deps, request),
        request.params.id,
        request.body,
        ifMatchOf(request),
        baseUrlOf(request),
      );
      return sendSavedResource(reply, saved, projectionOf(request.query), USER_SCHEMA);
    },
  );

  r.delete(
    '/Users/:id',
    {
      config: { auth: USER_ADMIN, audit: 'UserDeleted' },
      schema: {
        tags,
        summary: 'Delete a user (If-Match honoured)',
        params: scimIdParams,
        response: { 204: z.null().describe('Deleted.'), ...scimErrors },
      },
    },
    async (request, reply) => {
      await deleteUser(serviceContext(deps, request), scimId(request.params.id, 'USER_NOT_FOUND'), {
        ifMatch: ifMatchOf(request),
        via: 'scim',
      });
      return reply.status(204).send(null);
    },
  );
}
