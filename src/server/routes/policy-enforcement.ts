import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit } from '../../audit/record.ts';
import { dataSourceIdSchema, getDataSource } from '../../datasources/data-source-row.ts';
import { AppError } from '../../errors/index.ts';
import { enqueueJobs } from '../../jobs/queue.ts';
import { ENFORCE_LIMITS, POLICY_ENFORCE_JOB_TYPE } from '../../policy/request-enforcement.ts';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { requires } from '../route-config.ts';
import { dataSourceForbidden, mayOnDataSource } from '../services/datasources/authorize.ts';
import { loadSubject, policyInfo } from '../services/policies/explain.ts';
import { policyDiff } from '../services/policies/policy-diff.ts';

const policyName = z.object({ policyKey: z.string(), name: z.string() });
const summarySchema = z
  .object({
    subscription: z.string().nullable(),
    rowFilters: z.array(z.object({ description: z.string(), appliesTo: z.string(), policy: z.string() })),
    masks: z.array(
      z.object({
        column: z.string(),
        mask: z.record(z.string(), z.unknown()),
        appliesTo: z.string(),
        conditional: z.boolean(),
        policy: z.string(),
      }),
    ),
    policies: z.array(z.string()),
  })
  .nullable();

const NOTE = 'Needs the GOVERNANCE permission or being an owner of the data source.';

/**
 * Explain and enforcement: what a person gets from a data source and why (`policyInfo`), the policy
 * diff of a data source, enforcement on demand, and queries run as a person in the demo warehouse.
 */
export async function policyEnforcementRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.store.db;

  r.get(
    '/dataSource/:id/users/:userId/policyInfo',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['policies'],
        summary: 'What a user gets from a data source, and why',
        description: `Whether the user is subscribed, which columns are masked and how, which row filters apply, with the winning and losing policy of each. Computed from the current policies. ${NOTE} Users may explain their own access.`,
        params: z.object({ id: dataSourceIdSchema, userId: z.coerce.number().int().positive() }).strict(),
        response: {
          200: z.object({
            dataSource: z.object({ id: z.string(), name: z.string() }),
            user: z.object({ id: z.number(), username: z.string(), principal: z.string().nullable() }),
            subscribed: z.object({
              value: z.boolean(),
              reason: z.string(),
              policies: z.array(policyName.extend({ role: z.string() })),
            }),
            masks: z.array(
              z.object({
                column: z.string(),
                mask: z.record(z.string(), z.unknown()),
                applies: z.boolean(),
                reason: z.string(),
                fallback: z.string().optional(),
                conditional: z.boolean(),
                winner: policyName,
                losers: z.array(z.object({ policy: policyName, reason: z.string() })),
              }),
            ),
            rowFilters: z.array(
              z.object({ description: z.string(), applies: z.boolean(), policy: policyName }),
            ),
            skipped: z.array(z.object({ policy: policyName, reason: z.string() })),
          }),
        },
      },
    },
    async (request) => {
      const ctx = serviceContext(deps, request);
      const { id, userId } = request.params;
      const row = await getDataSource(db, id);
      const self = ctx.actor.type === 'USER_ACTOR' && ctx.actor.id === userId;
      if (!self && !(await mayOnDataSource(db, ctx, row, 'manageMembers'))) {
        throw dataSourceForbidden(row, 'manageMembers');
      }
      return policyInfo(db, row.id, userId);
    },
  );

  r.get(
    '/policy/diff/:dataSourceId',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['policies'],
        summary: 'The policy diff of a data source',
        description: `\`before\` is what was enforced before the last change (or what is enforced now while a change is pending), \`after\` what the current policies want. ${NOTE}`,
        params: z.object({ dataSourceId: dataSourceIdSchema }).strict(),
        response: {
          200: z.object({
            dataSourceId: z.string(),
            name: z.string(),
            before: summarySchema,
            after: summarySchema,
            pending: z.boolean(),
            appliedAt: z.string().nullable(),
            lastError: z.string().nullable(),
          }),
        },
      },
    },
    async (request) => {
      const ctx = serviceContext(deps, request);
      const row = await getDataSource(db, request.params.dataSourceId);
      if (!(await mayOnDataSource(db, ctx, row, 'manageMembers')))
        throw dataSourceForbidden(row, 'manageMembers');
      return policyDiff(db, row.id);
    },
  );

  r.post(
    '/policy/enforce',
    {
      config: { auth: requires('GOVERNANCE', 'APPLICATION_ADMIN'), audit: 'PolicyEnforcementRequested' },
      schema: {
        tags: ['policies'],
        summary: 'Enforce the current policies now',
        description:
          'Starts one enforcement job per connection (all connections when none is named). Each job plans every data source, applies only the difference in the platform and repairs drift. Follow it with the jobs API.',
        body: z
          .object({ connectionKeys: z.array(z.string().min(1)).max(1000).optional() })
          .strict()
          .default({}),
        response: { 202: z.object({ bulkId: z.string().uuid(), jobIds: z.array(z.string().uuid()) }) },
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(deps, request);
      const keys = request.body.connectionKeys;
      const result = await db.transaction().execute(async (trx) => {
        const known = (await trx.selectFrom('connections').select('connection_key').execute()).map(
          (c) => c.connection_key,
        );
        const unknown = (keys ?? []).filter((k) => !known.includes(k));
        if (unknown.length > 0)
          throw new AppError('CONN_NOT_FOUND', `No connection has the key ${unknown[0]}.`);
        const chosen = keys ?? known;
        const queued = await enqueueJobs(
          trx,
          chosen.map((connectionKey) => ({
            type: POLICY_ENFORCE_JOB_TYPE,
            payload: { connectionKey },
            ...ENFORCE_LIMITS,
          })),
          { createdBy: ctx.actor.id },
        );
        await recordAudit(trx, ctx, {
          action: 'PolicyEnforcementRequested',
          targets: chosen.map((k) => ({ type: 'connection', id: k })),
          payload: { bulkId: queued.bulkId },
        });
        return queued;
      });
      deps.jobs.wake();
      return reply.code(202).send(result);
    },
  );

  r.post(
    '/query',
    {
      config: { auth: requires('GOVERNANCE', 'APPLICATION_ADMIN'), audit: 'QueryRunAs' },
      schema: {
        tags: ['policies'],
        summary: 'Run a query in the demo warehouse as a person',
        description:
          "Runs one read-only SELECT in the embedded demo warehouse as the user's database role, so policies apply exactly as they do for that person. The Steward mirror schemas (masked views) come first on the search path, so unqualified table names read the masked views. At most 1,000 rows are returned. The audit event records who ran it as whom, not the query text.",
        body: z
          .object({
            as: z.string().min(1).max(200).describe('The Steward username to run as.'),
            sql: z.string().min(1).max(100_000),
          })
          .strict(),
        response: {
          200: z.object({
            columns: z.array(z.string()),
            rows: z.array(z.array(z.unknown())),
            rowCount: z.number().int(),
            truncated: z.boolean(),
          }),
        },
      },
    },
    async (request) => {
      const ctx = serviceContext(deps, request);
      if (!deps.demoQuery) throw new AppError('QUERY_UNAVAILABLE', 'This server runs no demo warehouse.');
      const user = await db
        .selectFrom('users')
        .select(['id', 'username'])
        .where((eb) => eb(eb.fn('lower', ['username']), '=', request.body.as.toLowerCase()))
        .executeTakeFirst();
      if (!user) throw new AppError('USER_NOT_FOUND', `No user is named ${request.body.as}.`);
      const { subject } = await loadSubject(db, user.id, 'demo');
      if (!subject) {
        throw new AppError('QUERY_UNAVAILABLE', `${user.username} has no principal in the demo warehouse.`);
      }
      await recordAudit(db, ctx, {
        action: 'QueryRunAs',
        targets: [{ type: 'user', id: String(user.id), name: user.username }],
        payload: { principal: subject.principal, length: request.body.sql.length },
      });
      return deps.demoQuery(subject.principal, request.body.sql);
    },
  );
}
