import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataSourceIdSchema } from '../../datasources/data-source-row.ts';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { listParam, nextField, pageQuery } from '../schemas/common.ts';
import { accessRequestSchema } from '../schemas/policies.ts';
import { decideRequest } from '../services/access-requests/decide-request.ts';
import { listRequests } from '../services/access-requests/list-requests.ts';
import { requestAccess } from '../services/access-requests/request-access.ts';

const STATES = ['pending', 'approved', 'denied', 'withdrawn'] as const;
const DECIDE_NOTE =
  'Allowed for an owner of the data source when an approval policy lists OWNER, or a holder of a global permission one lists (GOVERNANCE when none applies any more); never for the requester. Send `{}` or `{note}`.';
const decisionBody = z.object({ note: z.string().max(2000).optional() }).strict();
const idParams = z.object({ id: z.coerce.number().int().positive() }).strict();

/** Access requests: asking to subscribe to a data source whose subscription policy needs approval, and deciding. */
export async function accessRequestRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/dataSource/subscribe',
    {
      config: { auth: 'authenticated', audit: 'AccessRequested' },
      schema: {
        tags: ['access requests'],
        summary: 'Ask for access to a data source',
        description:
          'Possible while an active subscription policy of type `approval` applies to the data source (ACCESS_NOT_REQUESTABLE otherwise, or when you can read it already). A request already pending is returned as it is (200); a new one is 201.',
        body: z
          .object({
            dataSourceId: z.union([dataSourceIdSchema, z.number().int().positive()]),
            reason: z.string().max(2000).optional(),
          })
          .strict(),
        response: { 200: accessRequestSchema, 201: accessRequestSchema },
      },
    },
    async (request, reply) => {
      const { request: view, created } = await requestAccess(serviceContext(deps, request), {
        dataSourceId: String(request.body.dataSourceId),
        reason: request.body.reason,
      });
      return reply.status(created ? 201 : 200).send(view);
    },
  );

  r.get(
    '/requests',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['access requests'],
        summary: 'Access requests you made or may decide',
        description: 'Newest first; `mayDecide` says whether you may approve or deny each.',
        querystring: z
          .object({
            state: listParam(z.enum(STATES)),
            dataSourceId: dataSourceIdSchema.optional(),
            ...pageQuery,
          })
          .strict(),
        response: {
          200: z.object({
            requests: z.array(accessRequestSchema.extend({ mayDecide: z.boolean() })),
            next: nextField,
          }),
        },
      },
    },
    async (request) => {
      const { offset, size, state, dataSourceId } = request.query;
      const rows = await listRequests(serviceContext(deps, request), {
        state,
        dataSourceId,
        offset,
        limit: size + 1,
      });
      return { requests: rows.slice(0, size), next: rows.length > size ? offset + size : null };
    },
  );

  for (const decision of ['approve', 'deny'] as const) {
    r.post(
      `/requests/:id/${decision}`,
      {
        config: {
          auth: 'authenticated',
          audit: decision === 'approve' ? 'AccessRequestApproved' : 'AccessRequestDenied',
        },
        schema: {
          tags: ['access requests'],
          summary: decision === 'approve' ? 'Approve an access request' : 'Deny an access request',
          description: `${decision === 'approve' ? 'Subscribes the requester to the data source. ' : ''}ACCESS_REQUEST_DECIDED once decided. ${DECIDE_NOTE}`,
          params: idParams,
          body: decisionBody,
          response: { 200: accessRequestSchema },
        },
      },
      async (request) =>
        decideRequest(serviceContext(deps, request), request.params.id, decision, request.body.note),
    );
  }
}
