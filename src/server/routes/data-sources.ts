import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataSourceIdSchema } from '../../datasources/data-source-row.ts';
import { tagNameSchema } from '../../tags/tag-name.ts';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { listParam, nextField, pageQuery, toPage } from '../schemas/common.ts';
import {
  dataSourceSchema,
  dataSourceSummarySchema,
  MEMBER_STATES,
  memberSchema,
} from '../schemas/data-sources.ts';
import { getDataSourceView } from '../services/datasources/data-source-view.ts';
import { addMember, listMembers, removeMember } from '../services/datasources/members.ts';
import { searchDataSources } from '../services/datasources/search-data-sources.ts';

const idParams = z.object({ id: dataSourceIdSchema }).strict();
const READ_NOTE = 'Every authenticated user may read data sources and their members.';
const MEMBERS_NOTE = 'Needs the GOVERNANCE permission, or being an owner of the data source.';

/** The data source API of the reference: search, read, and members (owners, subscribers, experts). */
export async function dataSourceRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.store.db;

  r.get(
    '/dataSource',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['data sources'],
        summary: 'Search data sources',
        description: `Every active table of a connection is a data source. Filters combine with AND; a repeated or comma-separated filter matches any of its values. ${READ_NOTE}`,
        querystring: z
          .object({
            searchText: z
              .string()
              .max(200)
              .optional()
              .describe('A case-insensitive part of <database>.<schema>.<table>.'),
            tag: listParam(tagNameSchema).describe(
              'Tags on the data source or any of its columns; a tag also matches the tags below it.',
            ),
            connection: listParam(z.string().min(1)).describe('Connection keys.'),
            database: listParam(z.string().min(1)).describe('Database (catalog) names.'),
            schema: listParam(z.string().min(1)).describe('Schema names.'),
            domain: listParam(z.union([z.literal('none'), z.coerce.number().int().positive()])).describe(
              'Domain ids; `none` for data sources in no domain.',
            ),
            includeDisabled: z
              .enum(['true', 'false'])
              .default('false')
              .describe('Also list data sources whose table was dropped from the platform.'),
            ...pageQuery,
          })
          .strict(),
        response: { 200: z.object({ dataSources: z.array(dataSourceSummarySchema), next: nextField }) },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await searchDataSources(db, {
        searchText: q.searchText,
        tags: q.tag,
        connections: q.connection,
        databases: q.database,
        schemas: q.schema,
        domains: q.domain,
        includeDisabled: q.includeDisabled === 'true',
        offset: q.offset,
        limit: q.size + 1,
      });
      const page = toPage(rows, q.offset, q.size);
      return { dataSources: page.items, next: page.next };
    },
  );

  r.get(
    '/dataSource/:id',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['data sources'],
        summary: 'One data source',
        description: `Its object path, columns with their tags and descriptions, tags, owners, domain and health checks. ${READ_NOTE}`,
        params: idParams,
        response: { 200: dataSourceSchema },
      },
    },
    async (request) => getDataSourceView(db, request.params.id),
  );

  r.get(
    '/dataSource/:id/access',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['data sources'],
        summary: 'The members of a data source',
        description: READ_NOTE,
        params: idParams,
        querystring: z.object(pageQuery).strict(),
        response: {
          200: z.object({ members: z.array(memberSchema), count: z.number().int(), next: nextField }),
        },
      },
    },
    async (request) => {
      const { offset, size } = request.query;
      const { members, count } = await listMembers(db, request.params.id, { offset, limit: size + 1 });
      const page = toPage(members, offset, size);
      return { members: page.items, count, next: page.next };
    },
  );

  r.post(
    '/dataSource/:id/access',
    {
      config: { auth: 'authenticated', audit: 'DataSourceMemberAdded' },
      schema: {
        tags: ['data sources'],
        summary: 'Add a member, or change the role of one',
        description: `\`state\` is the reference's: \`subscribed\`, \`owner\` or \`expert\`. ${MEMBERS_NOTE}`,
        params: idParams,
        body: z
          .object({
            profileId: z.number().int().positive().describe('The user id.'),
            state: z.enum(MEMBER_STATES),
            expiration: z.iso
              .datetime({ offset: true })
              .optional()
              .describe('When the membership ends (ISO 8601); never when left out.'),
          })
          .strict(),
        response: { 200: memberSchema },
      },
    },
    async (request) => {
      const { profileId, state, expiration } = request.body;
      return addMember(serviceContext(deps, request), request.params.id, {
        profileId,
        state,
        expiration: expiration === undefined ? undefined : new Date(expiration),
      });
    },
  );

  r.delete(
    '/dataSource/:id/access/:profileId',
    {
      config: { auth: 'authenticated', audit: 'DataSourceMemberRemoved' },
      schema: {
        tags: ['data sources'],
        summary: 'Remove a member',
        description: MEMBERS_NOTE,
        params: z.object({ id: dataSourceIdSchema, profileId: z.coerce.number().int().positive() }).strict(),
        response: { 200: memberSchema },
      },
    },
    async (request) =>
      removeMember(serviceContext(deps, request), request.params.id, request.params.profileId),
  );
}
