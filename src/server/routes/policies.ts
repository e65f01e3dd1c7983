import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataSourceIdSchema, getDataSource } from '../../datasources/data-source-row.ts';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { requires } from '../route-config.ts';
import { pageQuery } from '../schemas/common.ts';
import {
  dataSourceRefSchema,
  policyDeletedSchema,
  policyDocumentBody,
  policyKeySchema,
  policyListSchema,
  policySchema,
  policyUpsertSchema,
  policyVersionSchema,
  upsertQuery,
} from '../schemas/policies.ts';
import { deletePolicy } from '../services/policies/delete-policy.ts';
import { getPolicy } from '../services/policies/get-policy.ts';
import { listPolicies } from '../services/policies/list-policies.ts';
import { policyAppliedTo } from '../services/policies/policy-applied-to.ts';
import { listPolicyVersions } from '../services/policies/policy-versions.ts';
import { upsertPolicy } from '../services/policies/upsert-policy.ts';

const AUTHORS = requires('GOVERNANCE', 'APPLICATION_ADMIN');
const LOCAL_NOTE =
  'Needs the GOVERNANCE permission, being an owner of the data source, or Manage Policies in its domain.';
const READ_NOTE = 'Every authenticated user may read policies.';
const idParams = z.object({ id: z.coerce.number().int().positive() }).strict();
const filters = {
  type: z.enum(['subscription', 'data']).optional(),
  state: z.enum(['staged', 'active']).optional().describe('`staged`, or `active` (not staged).'),
  searchText: z.string().max(200).optional().describe('A case-insensitive part of the name or key.'),
};

/**
 * Policies: the V2 policy-as-code API (upsert by `policyKey`, JSON or YAML, with dry runs and field-level
 * changes), the reference's v1 global and local (`handler`) policy routes, search and version history.
 */
export async function policyRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.store.db;

  r.post(
    '/api/v2/policy',
    {
      config: { auth: AUTHORS, audit: 'PolicySaved' },
      schema: {
        tags: ['policies'],
        summary: 'Create or update a global policy from its V2 document',
        description:
          'Idempotent by `policyKey`: the same document again is `unchanged` and writes nothing; a different one becomes the next version. `dryRun=true` answers the same and writes nothing. A key that exists as a local policy is POLICY_SCOPE_MISMATCH. Bad documents are POLICY_INVALID (or POLICY_WHERE_INVALID) with one error per offending field.',
        querystring: upsertQuery,
        body: policyDocumentBody,
        response: { 200: policyUpsertSchema },
      },
    },
    async (request) =>
      upsertPolicy(serviceContext(deps, request), {
        document: request.body,
        scope: 'global',
        dryRun: request.query.dryRun === 'true',
      }),
  );

  r.get(
    '/api/v2/policy',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['policies'],
        summary: 'Every policy, with its canonical document',
        description: `All policies (global and local) in authoring order, as \`steward policy clone\` reads them. ${READ_NOTE}`,
        querystring: z.object({ scope: z.enum(['global', 'local']).optional(), ...filters }).strict(),
        response: { 200: policyListSchema },
      },
    },
    async (request) => listPolicies(db, request.query),
  );

  r.get(
    '/api/v2/policy/:policyKey',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['policies'],
        summary: 'One policy by key',
        description: READ_NOTE,
        params: z.object({ policyKey: policyKeySchema }).strict(),
        response: { 200: policySchema },
      },
    },
    async (request) => getPolicy(db, { policyKey: request.params.policyKey }),
  );

  r.delete(
    '/api/v2/policy/:policyKey',
    {
      config: { auth: AUTHORS, audit: 'PolicyDeleted' },
      schema: {
        tags: ['policies'],
        summary: 'Delete a policy by key',
        description:
          'Its history stays, ending with a `deleted` version. A local policy also needs what authoring it needs (GOVERNANCE).',
        params: z.object({ policyKey: policyKeySchema }).strict(),
        response: { 200: policyDeletedSchema },
      },
    },
    async (request) => deletePolicy(serviceContext(deps, request), { policyKey: request.params.policyKey }),
  );

  r.get(
    '/policy/global',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['policies'],
        summary: 'List global policies',
        description: READ_NOTE,
        querystring: z.object({ ...filters, ...pageQuery }).strict(),
        response: { 200: policyListSchema },
      },
    },
    async (request) => {
      const { offset, size, ...rest } = request.query;
      return listPolicies(db, { ...rest, scope: 'global', offset, limit: size });
    },
  );

  r.get(
    '/policy/global/:id',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['policies'],
        summary: 'One global policy by id',
        description: READ_NOTE,
        params: idParams,
        response: { 200: policySchema },
      },
    },
    async (request) => getPolicy(db, { id: request.params.id }, { scope: 'global' }),
  );

  r.delete(
    '/policy/global/:id',
    {
      config: { auth: AUTHORS, audit: 'PolicyDeleted' },
      schema: {
        tags: ['policies'],
        summary: 'Delete a global policy by id',
        params: idParams,
        response: { 200: policyDeletedSchema },
      },
    },
    async (request) =>
      deletePolicy(serviceContext(deps, request), { id: request.params.id }, { scope: 'global' }),
  );

  r.get(
    '/policy/global/appliedTo/:id',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['policies'],
        summary: 'The data sources a global policy applies to',
        description: `By its circumstances, now; a staged policy applies nowhere. ${READ_NOTE}`,
        params: idParams,
        response: { 200: z.object({ count: z.number().int(), hits: z.array(dataSourceRefSchema) }) },
      },
    },
    async (request) => policyAppliedTo(db, request.params.id, { scope: 'global' }),
  );

  r.post(
    '/policy/search',
    {
      config: { auth: 'authenticated', audit: null },
      schema: {
        tags: ['policies'],
        summary: 'Search policies',
        description: `Filters combine with AND. ${READ_NOTE}`,
        body: z
          .object({
            scope: z.enum(['global', 'local']).optional(),
            dataSourceId: dataSourceIdSchema.optional().describe('Local policies of this data source.'),
            ...filters,
            ...pageQuery,
          })
          .strict(),
        response: { 200: policyListSchema },
      },
    },
    async (request) => {
      const { offset, size, ...rest } = request.body;
      return listPolicies(db, { ...rest, offset, limit: size });
    },
  );

  const handlerParams = z.object({ dataSourceId: dataSourceIdSchema }).strict();

  r.get(
    '/policy/handler/:dataSourceId',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['policies'],
        summary: 'The local policies of a data source',
        description: READ_NOTE,
        params: handlerParams,
        response: { 200: policyListSchema },
      },
    },
    async (request) => {
      const row = await getDataSource(db, request.params.dataSourceId);
      return listPolicies(db, { scope: 'local', dataSourceId: row.id });
    },
  );

  r.post(
    '/policy/handler/:dataSourceId',
    {
      config: { auth: 'authenticated', audit: 'PolicySaved' },
      schema: {
        tags: ['policies'],
        summary: 'Create or update a local policy of a data source',
        description: `The body is a V2 document without circumstances, upserted as in \`POST /api/v2/policy\`. Every column it names (\`columnName\` fields, columns of custom WHERE clauses) must exist in the data source, and every lookup table must be a crawled table of the same connection and database. ${LOCAL_NOTE}`,
        params: handlerParams,
        querystring: upsertQuery,
        body: policyDocumentBody,
        response: { 200: policyUpsertSchema },
      },
    },
    async (request) =>
      upsertPolicy(serviceContext(deps, request), {
        document: request.body,
        scope: 'local',
        dataSourceId: request.params.dataSourceId,
        dryRun: request.query.dryRun === 'true',
      }),
  );

  r.delete(
    '/policy/handler/:dataSourceId/:policyId',
    {
      config: { auth: 'authenticated', audit: 'PolicyDeleted' },
      schema: {
        tags: ['policies'],
        summary: 'Delete a local policy of a data source',
        description: LOCAL_NOTE,
        params: z
          .object({ dataSourceId: dataSourceIdSchema, policyId: z.coerce.number().int().positive() })
          .strict(),
        response: { 200: policyDeletedSchema },
      },
    },
    async (request) =>
      deletePolicy(
        serviceContext(deps, request),
        { id: request.params.policyId },
        { scope: 'local', dataSourceId: request.params.dataSourceId },
      ),
  );

  r.get(
    '/policy/:id/versions',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['policies'],
        summary: 'The versions of a policy, newest first',
        description: `Including its deletion: the history outlives the policy. ${READ_NOTE}`,
        params: idParams,
        querystring: z.object(pageQuery).strict(),
        response: { 200: z.object({ count: z.number().int(), hits: z.array(policyVersionSchema) }) },
      },
    },
    async (request) =>
      listPolicyVersions(db, request.params.id, { offset: request.query.offset, limit: request.query.size }),
  );
}
