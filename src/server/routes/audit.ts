import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { searchAudit } from '../../audit/query.ts';
import type { AppDeps } from '../deps.ts';
import { requires } from '../route-config.ts';
import { auditEventSchema } from '../schemas/audit.ts';
import { dateParam, listParam, nextField, pageQuery, toPage } from '../schemas/common.ts';

/** `GET /audit`: search the append-only audit log (permission AUDIT). */
export async function auditRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/audit',
    {
      config: { auth: requires('AUDIT') },
      schema: {
        tags: ['audit'],
        summary: 'Search audit events, newest first',
        querystring: z
          .object({
            actor: z.string().optional().describe('User id or username of the actor.'),
            action: listParam(z.string()).describe('One or more actions, such as ApiKeyCreated.'),
            actionStatus: z.enum(['success', 'failure', 'denied']).optional(),
            targetType: z.string().optional(),
            target: z.string().optional().describe('A target as type:id, or a bare id.'),
            requestId: z.string().optional(),
            startDate: dateParam.optional().describe('Events at or after this time.'),
            endDate: dateParam.optional().describe('Events before this time.'),
            ...pageQuery,
          })
          .strict(),
        response: { 200: z.object({ events: z.array(auditEventSchema), next: nextField }) },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await searchAudit(deps.store.db, { ...q, size: q.size + 1 });
      const page = toPage(rows, q.offset, q.size);
      return { events: page.items, next: page.next };
    },
  );
}
