import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors/index.ts';
import { listResponse, resourceTypes, schemaDocuments, serviceProviderConfig } from '../../scim/discovery.ts';
import type { AppDeps } from '../deps.ts';
import { requires } from '../route-config.ts';
import { registerScimBodyParser } from './scim-body.ts';
import { registerScimErrors, SCIM_CONTENT_TYPE } from './scim-errors.ts';
import { scimGroupRoutes } from './scim-groups.ts';
import { baseUrlOf, SCIM_PREFIX, scimErrors, scimListSchema, scimResourceSchema } from './scim-schemas.ts';
import { scimUserRoutes } from './scim-users.ts';

const USER_ADMIN = requires('USER_ADMIN');
const tags = ['scim'];
const DOCS_URL = 'https://github.com/steward-governance/steward/blob/main/docs/people.md';

async function discoveryRoutes(scope: FastifyInstance): Promise<void> {
  const r = scope.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/ServiceProviderConfig',
    {
      config: { auth: USER_ADMIN },
      schema: {
        tags,
        summary: 'What this SCIM endpoint supports (RFC 7643 §5)',
        response: { 200: scimResourceSchema, ...scimErrors },
      },
    },
    async (request, reply) =>
      reply.type(SCIM_CONTENT_TYPE).send(serviceProviderConfig(baseUrlOf(request), DOCS_URL)),
  );

  r.get(
    '/ResourceTypes',
    {
      config: { auth: USER_ADMIN },
      schema: {
        tags,
        summary: 'The resource types: User and Group',
        response: { 200: scimListSchema, ...scimErrors },
      },
    },
    async (request, reply) => {
      const types = resourceTypes(baseUrlOf(request));
      return reply.type(SCIM_CONTENT_TYPE).send(listResponse(types, types.length, 1));
    },
  );

  r.get(
    '/ResourceTypes/:id',
    {
      config: { auth: USER_ADMIN },
      schema: {
        tags,
        summary: 'One resource type',
        params: z.object({ id: z.string().max(64) }),
        response: { 200: scimResourceSchema, ...scimErrors },
      },
    },
    async (request, reply) => {
      const type = resourceTypes(baseUrlOf(request)).find((t) => t.id === request.params.id);
      if (!type) throw new AppError('ROUTE_NOT_FOUND', `There is no resource type ${request.params.id}.`);
      return reply.type(SCIM_CONTENT_TYPE).send(type);
    },
  );

  r.get(
    '/Schemas',
    {
      config: { auth: USER_ADMIN },
      schema: {
        tags,
        summary: 'The schemas: User, the enterprise User extension, and Group',
        response: { 200: scimListSchema, ...scimErrors },
      },
    },
    async (request, reply) => {
      const schemas = schemaDocuments(baseUrlOf(request));
      return reply.type(SCIM_CONTENT_TYPE).send(listResponse(schemas, schemas.length, 1));
    },
  );

  r.get(
    '/Schemas/:id',
    {
      config: { auth: USER_ADMIN },
      schema: {
        tags,
        summary: 'One schema, by URN',
        params: z.object({ id: z.string().max(200) }),
        response: { 200: scimResourceSchema, ...scimErrors },
      },
    },
    async (request, reply) => {
      const schema = schemaDocuments(baseUrlOf(request)).find((s) => s.id === request.params.id);
      if (!schema) throw new AppError('ROUTE_NOT_FOUND', `There is no schema ${request.params.id}.`);
      return reply.type(SCIM_CONTENT_TYPE).send(schema);
    },
  );
}

/**
 * SCIM 2.0 (RFC 7643/7644) at `/scim/v2`, for identity providers such as Okta and Microsoft Entra ID:
 * discovery, Users and Groups. Every route needs an API key of a USER_ADMIN user; every answer,
 * errors included, is `application/scim+json`.
 */
export async function scimRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(
    async (scope) => {
      registerScimErrors(scope, deps);
      registerScimBodyParser(scope);
      await discoveryRoutes(scope);
      await scimUserRoutes(scope, deps);
      await scimGroupRoutes(scope, deps);
    },
    { prefix: SCIM_PREFIX },
  );
}
