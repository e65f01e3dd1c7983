import { randomUUID } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { AppDeps } from './deps.ts';
import { registerAuth } from './plugins/auth.ts';
import { registerBodyParsers } from './plugins/body-parsers.ts';
import { registerErrorHandling } from './plugins/errors.ts';
import { registerValidation } from './plugins/validation.ts';
import { accessRequestRoutes } from './routes/access-requests.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { auditRoutes } from './routes/audit.ts';
import { connectionRoutes } from './routes/connections.ts';
import { dataSourceRoutes } from './routes/data-sources.ts';
import { dictionaryRoutes } from './routes/dictionary.ts';
import { discoveryRunRoutes } from './routes/discovery-run.ts';
import { domainRoutes } from './routes/domains.ts';
import { healthRoutes } from './routes/health.ts';
import { integrationRoutes } from './routes/integrations.ts';
import { jobRoutes } from './routes/jobs.ts';
import { objectRoutes } from './routes/objects.ts';
import { peopleAttributeRoutes } from './routes/people-attributes.ts';
import { peopleExternalIdRoutes } from './routes/people-external-ids.ts';
import { peopleGroupRoutes } from './routes/people-groups.ts';
import { policyRoutes } from './routes/policies.ts';
import { policyEnforcementRoutes } from './routes/policy-enforcement.ts';
import { purposeRoutes } from './routes/purposes.ts';
import { scimRoutes } from './routes/scim.ts';
import { sddRoutes } from './routes/sdd.ts';
import { tagRoutes } from './routes/tags.ts';
import { userRoutes } from './routes/users.ts';
import { problemSchema } from './schemas/common.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const DOCUMENTED_ERRORS = [400, 401, 403, 404, 500, 503] as const;

type SwaggerTransformArg = Parameters<typeof jsonSchemaTransform>[0];

/**
 * Turns the zod schemas into OpenAPI and documents a trailing wildcard (the `objectPath` of the data
 * object routes) as a named path parameter.
 */
function documentWildcards(arg: SwaggerTransformArg) {
  const out = jsonSchemaTransform(arg) as { schema: Record<string, unknown>; url: string };
  if (!out.url.endsWith('/*')) return out;
  const params = out.schema['params'] as
    | { properties?: Record<string, unknown>; required?: string[] }
    | undefined;
  if (params?.properties?.['*']) {
    params.properties = { objectPath: params.properties['*'] };
    params.required = ['objectPath'];
  }
  return { ...out, url: `${out.url.slice(0, -1)}{objectPath}` };
}

/** The resource plugins of the API, in registration order. Later issues add theirs here. */
const ROUTES = [
  healthRoutes,
  auditRoutes,
  jobRoutes,
  apiKeyRoutes,
  userRoutes,
  peopleGroupRoutes,
  peopleAttributeRoutes,
  peopleExternalIdRoutes,
  scimRoutes,
  integrationRoutes,
  connectionRoutes,
  objectRoutes,
  tagRoutes,
  sddRoutes,
  discoveryRunRoutes,
  dataSourceRoutes,
  dictionaryRoutes,
  domainRoutes,
  policyRoutes,
  purposeRoutes,
  accessRequestRoutes,
  policyEnforcementRoutes,
];

/**
 * Builds the HTTP API over its dependencies: validation and OpenAPI from one set of zod schemas,
 * JSON and YAML bodies, API-key authentication with per-route permissions, and problem+json errors.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.api.bodyLimit,
    // Attribute keys and object names travel in paths; allow them up to 256 characters.
    maxParamLength: 256,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  registerValidation(app);
  registerBodyParsers(app);
  registerErrorHandling(app, deps);
  registerAuth(app, deps);

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs') || !route.schema) return;
    const response = { ...((route.schema.response as Record<number, unknown> | undefined) ?? {}) };
    for (const status of DOCUMENTED_ERRORS) response[status] ??= problemSchema;
    const auth = route.config?.auth;
    const access =
      auth === 'public'
        ? 'No authentication.'
        : auth === 'authenticated' || auth === undefined
          ? 'Any valid API key.'
          : `Requires the ${auth.anyOf.join(' or ')} permission.`;
    const description = [route.schema.description, access].filter(Boolean).join('\n\n');
    // Mutated in place: the OpenAPI plugin keeps a reference to this schema object.
    Object.assign(route.schema, { response, description, ...(auth === 'public' ? { security: [] } : {}) });
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // A change that committed may have enqueued jobs (object sync, entitlement pushes): wake the local
  // workers at once instead of waiting for their next poll.
  app.addHook('onResponse', async (request, reply) => {
    if (MUTATING_METHODS.has(request.method) && reply.statusCode < 400) deps.jobs.wake();
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Steward API',
        version: deps.version,
        description:
          "Data access governance. Compatible with the reference product's public API; send your API key as `Authorization: <key>` or `Authorization: Bearer <key>`. Bodies may be JSON or YAML. Errors are RFC 9457 problem documents.",
      },
      components: {
        securitySchemes: {
          apiKey: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description: 'An API key, bare or after "Bearer ".',
          },
        },
      },
      security: [{ apiKey: [] }],
    },
    transform: documentWildcards,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());

  for (const routes of ROUTES) await app.register(async (scope) => routes(scope, deps));
  return app;
}
