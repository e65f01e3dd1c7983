import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { requires } from '../route-config.ts';
import { deleteScript, integrationScript } from '../services/connections/integration-scripts.ts';

const scriptResponse = z.object({ script: z.string() }).meta({ id: 'IntegrationScript' });

/** Sends a script as JSON `{script}` when the client accepts JSON, else as plain text ready to run. */
function sendScript(request: FastifyRequest, reply: FastifyReply, script: string) {
  const accept = String(request.headers.accept ?? '');
  if (/application\/json/.test(accept) || accept === '' || accept === '*/*') return reply.send({ script });
  return reply
    .type('text/plain; charset=utf-8')
    .serializer((p: unknown) => String(p))
    .send(script);
}

/** The integrations API: the setup script a platform admin runs once, and the scripts that remove it. */
export async function integrationRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const body = (platforms: string[]) =>
    z
      .object({
        type: z.enum(platforms as [string, ...string[]]),
        autoBootstrap: z.boolean().default(false),
        config: z.record(z.string(), z.unknown()),
      })
      .strict();
  const types = [...deps.platforms.keys()];

  r.post(
    '/integrations/scripts/create',
    {
      config: { auth: requires('APPLICATION_ADMIN'), audit: 'IntegrationScriptCreated' },
      schema: {
        tags: ['integrations'],
        summary: 'The setup script to run once in the platform',
        description:
          'For Databricks: creates the Steward-owned catalog with the entitlement tables and helper functions, and the grants the service principal needs. For PostgreSQL: the Steward-owned schema, its service role and grants. Answers JSON `{script}`, or the script as text/plain when asked with `Accept: text/plain`.',
        body: body(types),
        response: { 200: scriptResponse },
      },
    },
    async (request, reply) =>
      sendScript(
        request,
        reply,
        (await integrationScript(serviceContext(deps, request), request.body, 'create')).script,
      ),
  );

  r.post(
    '/integrations/scripts/cleanup',
    {
      config: { auth: requires('APPLICATION_ADMIN'), audit: null },
      schema: {
        tags: ['integrations'],
        summary: 'The script that removes what a setup that did not complete left behind',
        body: body(types),
        response: { 200: scriptResponse },
      },
    },
    async (request, reply) =>
      sendScript(
        request,
        reply,
        (await integrationScript(serviceContext(deps, request), request.body, 'cleanup')).script,
      ),
  );

  r.post(
    '/integrations/:id/scripts/delete',
    {
      config: { auth: requires('APPLICATION_ADMIN'), audit: null },
      schema: {
        tags: ['integrations'],
        summary: "The script that removes a configured integration's objects from the platform",
        params: z.object({ id: z.coerce.number().int().positive() }).strict(),
        response: { 200: scriptResponse },
      },
    },
    async (request, reply) =>
      sendScript(
        request,
        reply,
        (await deleteScript(serviceContext(deps, request), request.params.id)).script,
      ),
  );
}
