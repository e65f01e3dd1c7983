import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { etagOf } from '../../scim/etag.ts';
import { parseFilter } from '../../scim/filter/parse.ts';
import { project } from '../../scim/projection.ts';
import { GROUP_SCHEMA } from '../../scim/urns.ts';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { requires } from '../route-config.ts';
import { deleteGroup } from '../services/people/delete-group.ts';
import { createScimGroup } from '../services/people/scim-create-group.ts';
import { patchScimGroup } from '../services/people/scim-patch-group.ts';
import { getScimGroup, listScimGroups, scimId } from '../services/people/scim-read.ts';
import { replaceScimGroup } from '../services/people/scim-replace-group.ts';
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
  .describe('A SCIM Group (urn:ietf:params:scim:schemas:core:2.0:Group).');
const patchBody = z
  .record(z.string(), z.unknown())
  .describe('A PatchOp (urn:ietf:params:scim:api:messages:2.0:PatchOp) with Operations.');
const projection = z.object(projectionQuery);

/** SCIM Groups: list with filters, create, read, replace, patch (members included), delete. */
export async function scimGroupRoutes(scope: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = scope.withTypeProvider<ZodTypeProvider>();
  const db = deps.store.db;

  r.get(
    '/Groups',
    {
      config: { auth: USER_ADMIN },
      schema: {
        tags,
        summary: 'List groups, with an optional SCIM filter and paging',
        description: 'Send excludedAttributes=members to leave the (possibly long) member lists out.',
        querystring: listQuerySchema,
        response: { 200: scimListSchema, ...scimErrors },
      },
    },
    async (request, reply) => {
      const { filter } = request.query;
      const list = await listScimGroups(
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
    '/Groups',
    {
      config: { auth: USER_ADMIN, audit: 'GroupCreated' },
      schema: {
        tags,
        summary: 'Create a group, with members',
        querystring: projection,
        body,
        response: { 201: scimResourceSchema, ...scimErrors },
      },
    },
    async (request, reply) => {
      const created = await createScimGroup(serviceContext(deps, request), request.body, baseUrlOf(request));
      const meta = created.resource['meta'] as { location: string };
      return reply
        .status(201)
        .type(SCIM_CONTENT_TYPE)
        .header('location', meta.location)
        .header('etag', etagOf(created.version))
        .send(project(created.resource, projectionOf(request.query), GROUP_SCHEMA));
    },
  );

  r.get(
    '/Groups/:id',
    {
      config: { auth: USER_ADMIN },
      schema: {
        tags,
        summary: 'One group',
        params: scimIdParams,
        querystring: projection,
        response: { 200: scimResourceSchema, ...scimErrors },
      },
    },
    async (request, reply) => {
      const found = await getScimGroup(
        db,
        request.params.id,
        projectionOf(request.query),
        baseUrlOf(request),
      );
      return reply.type(SCIM_CONTENT_TYPE).header('etag', etagOf(found.version)).send(found.resource);
    },
  );

  r.put(
    '/Groups/:id',
    {
      config: { auth: USER_ADMIN, audit: 'GroupUpdated' },
      schema: {
        tags,
        summary: 'Replace a group; members are replaced when listed (If-Match honoured)',
        params: scimIdParams,
        querystring: projection,
        body,
        response: { 200: scimResourceSchema, ...scimErrors },
      },
    },
    async (request, reply) => {
      const saved = await replaceScimGroup(
        serviceContext(deps, request),
        request.params.id,
        request.body,
        ifMatchOf(request),
        baseUrlOf(request),
      );
      return sendSavedResource(reply, saved, projectionOf(request.query), GROUP_SCHEMA);
    },
  );

  r.patch(
    '/Groups/:id',
    {
      config: { auth: USER_ADMIN, audit: 'GroupUpdated' },
      schema: {
        tags,
        summary: 'Change a group and its members with PATCH operations (If-Match honoured)',
        description:
          'Answers 204 with the new ETag; with attributes or excludedAttributes, 200 with the group as asked.',
        params: scimIdParams,
        querystring: projection,
        body: patchBody,
        response: { 200: scimResourceSchema, 204: z.null().describe('Changed.'), ...scimErrors },
      },
    },
    async (request, reply) => {
      const saved = await patchScimGroup(
        serviceContext(deps, request),
        request.params.id,
        request.body,
        ifMatchOf(request),
        baseUrlOf(request),
      );
      reply.header('etag', etagOf(saved.version));
      const wanted = projectionOf(request.query);
      if (!wanted.attributes && !wanted.excludedAttributes) return reply.status(204).send(null);
      const found = await getScimGroup(db, request.params.id, wanted, baseUrlOf(request));
      return reply.type(SCIM_CONTENT_TYPE).send(found.resource);
    },
  );

  r.delete(
    '/Groups/:id',
    {
      config: { auth: USER_ADMIN, audit: 'GroupDeleted' },
      schema: {
        tags,
        summary: 'Delete a group; its members stay (If-Match honoured)',
        params: scimIdParams,
        response: { 204: z.null().describe('Deleted.'), ...scimErrors },
      },
    },
    async (request, reply) => {
      await deleteGroup(serviceContext(deps, request), scimId(request.params.id, 'GROUP_NOT_FOUND'), {
        ifMatch: ifMatchOf(request),
        via: 'scim',
      });
      return reply.status(204).send(null);
    },
  );
}
