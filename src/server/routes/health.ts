import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../errors/index.ts';
import { isMigrated } from '../../store/migrate.ts';
import type { AppDeps } from '../deps.ts';
import { sendProblem } from '../plugins/errors.ts';
import { problemSchema } from '../schemas/common.ts';

/** `/health` (the process is alive) and `/ready` (the store answers and is migrated). */
export async function healthRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/health',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process is running',
        response: { 200: z.object({ status: z.literal('ok'), version: z.string() }) },
      },
    },
    async () => ({ status: 'ok' as const, version: deps.version }),
  );
  r.get(
    '/ready',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the metadata store is reachable and migrated',
        response: {
          200: z.object({ status: z.literal('ready'), store: z.enum(['embedded', 'postgres']) }),
          503: problemSchema,
        },
      },
    },
    async (request, reply) => {
      if (deps.shuttingDown?.())
        return sendProblem(reply, request, new AppError('SERVICE_NOT_READY', 'The server is shutting down.'));
      try {
        await sql`SELECT 1`.execute(deps.store.db);
        if (!(await isMigrated(deps.store.db))) {
          return sendProblem(
            reply,
            request,
            new AppError('SERVICE_NOT_READY', 'The metadata store is not migrated.'),
          );
        }
      } catch (cause) {
        return sendProblem(
          reply,
          request,
          new AppError('STORE_UNAVAILABLE', 'The metadata store does not answer.', { cause }),
        );
      }
      return { status: 'ready' as const, store: deps.store.backend };
    },
  );
}
