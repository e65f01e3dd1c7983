import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { connectionKeySchema } from '../../connections/connection-key.ts';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { requires } from '../route-config.ts';
import {
  connectionPayloadSchema,
  connectionUpdateSchema,
  connectionViewSchema,
  validationTestSchema,
} from '../schemas/connections.ts';
import { getConnection } from '../services/connections/connection-view.ts';
import { registerConnection } from '../services/connections/register-connection.ts';
import { testConnection } from '../services/connections/test-connection.ts';
import { updateConnection } from '../services/connections/update-connection.ts';

const READERS = requires('APPLICATION_ADMIN', 'GOVERNANCE', 'CREATE_DATA_SOURCE');

function abortOnClose(request: FastifyRequest): AbortSignal {
  const controller = new AbortController();
  request.raw.once('close', () => controller.abort());
  return controller.signal;
}

/** The connections API of the reference: dry run, register, read and update a connection. */
export async function connectionRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const payload = connectionPayloadSchema(deps.platforms);

  r.post(
    '/data/connection/test',
    {
      config: { auth: requires('APPLICATION_ADMIN'), audit: null },
      schema: {
        tags: ['connections'],
        summary: 'Dry run: validate a connection payload, connect and check privileges; stores nothing',
        body: payload,
        response: {
          200: z.object({
            status: z.enum(['passed', 'failed', 'warning']),
            validationTests: z.array(validationTestSchema),
          }),
        },
      },
    },
    async (request) => testConnection(serviceContext(deps, request), request.body, abortOnClose(request)),
  );

  r.post(
    '/data/connection',
    {
      config: { auth: requires('APPLICATION_ADMIN'), audit: 'ConnectionCreated' },
      schema: {
        tags: ['connections'],
        summary: 'Register a connection and start its object sync',
        description:
          'Answers the connection object path and the bulk id of the object sync job (see the jobs API).',
        body: payload,
        response: { 200: z.object({ objectPath: z.array(z.string()), bulkId: z.string().uuid() }) },
      },
    },
    async (request) => registerConnection(serviceContext(deps, request), request.body, abortOnClose(request)),
  );

  r.get(
    '/data/connection/:connectionKey',
    {
      config: { auth: READERS },
      schema: {
        tags: ['connections'],
        summary: 'A connection, with its credentials shown as [REDACTED]',
        params: z.object({ connectionKey: connectionKeySchema }).strict(),
        response: { 200: connectionViewSchema },
      },
    },
    async (request) => getConnection(deps.store.db, deps.keyring, request.params.connectionKey),
  );

  r.put(
    '/data/connection/:connectionKey',
    {
      config: { auth: requires('APPLICATION_ADMIN'), audit: 'ConnectionUpdated' },
      schema: {
        tags: ['connections'],
        summary: 'Change credentials or settings of a connection; the result is validated before it is saved',
        description:
          'Fields given are merged over the stored connection; a value of "[REDACTED]" keeps the stored secret.',
        params: z.object({ connectionKey: connectionKeySchema }).strict(),
        body: connectionUpdateSchema,
        response: { 200: connectionViewSchema },
      },
    },
    async (request) =>
      updateConnection(
        serviceContext(deps, request),
        request.params.connectionKey,
        request.body,
        abortOnClose(request),
      ),
  );
}
