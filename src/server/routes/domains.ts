import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataSourceIdSchema } from '../../datasources/data-source-row.ts';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { requires } from '../route-config.ts';
import { nextField, pageQuery, toPage } from '../schemas/common.ts';
import { DOMAIN_PERMISSIONS, domainNameSchema, domainSchema } from '../schemas/domains.ts';
import { createDomain, deleteDomain, updateDomain } from '../services/domains/domain-commands.ts';
import { updateDomainDataSources } from '../services/domains/domain-data-sources.ts';
import { replaceDomainPermissions } from '../services/domains/domain-permissions.ts';
import { getDomainView, searchDomains } from '../services/domains/domain-view.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() }).strict();
const GOVERNANCE = requires('GOVERNANCE');

/** Domains: groups of data sources with domain-scoped permissions (`Manage Policies`, `Audit Activity`). */
export async function domainRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.store.db;

  r.get(
    '/domain',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['domains'],
        summary: 'List domains',
        querystring: z
          .object({
            searchText: z.string().max(200).optional().describe('A case-insensitive part of the name.'),
            ...pageQuery,
          })
          .strict(),
        response: { 200: z.object({ domains: z.array(domainSchema), next: nextField }) },
      },
    },
    async (request) => {
      const { offset, size, searchText } = request.query;
      const page = toPage(await searchDomains(db, { searchText, offset, limit: size + 1 }), offset, size);
      return { domains: page.items, next: page.next };
    },
  );

  r.post(
    '/domain',
    {
      config: { auth: GOVERNANCE, audit: 'DomainCreated' },
      schema: {
        tags: ['domains'],
        summary: 'Create a domain',
        body: z.object({ name: domainNameSchema, description: z.string().max(2000).optional() }).strict(),
        response: { 201: domainSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createDomain(serviceContext(deps, request), request.body)),
  );

  r.get(
    '/domain/:id',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['domains'],
        summary: 'One domain',
        params: idParams,
        response: { 200: domainSchema },
      },
    },
    async (request) => getDomainView(db, request.params.id),
  );

  r.put(
    '/domain/:id',
    {
      config: { auth: GOVERNANCE, audit: 'DomainUpdated' },
      schema: {
        tags: ['domains'],
        summary: 'Rename a domain or change its description',
        params: idParams,
        body: z
          .object({
            name: domainNameSchema.optional(),
            description: z.string().max(2000).nullable().optional(),
          })
          .strict(),
        response: { 200: domainSchema },
      },
    },
    async (request) => updateDomain(serviceContext(deps, request), request.params.id, request.body),
  );

  r.delete(
    '/domain/:id',
    {
      config: { auth: GOVERNANCE, audit: 'DomainDeleted' },
      schema: {
        tags: ['domains'],
        summary: 'Delete a domain; its data sources stay, in no domain',
        params: idParams,
        response: { 200: z.object({ id: z.number().int(), dataSourceCount: z.number().int() }) },
      },
    },
    async (request) => deleteDomain(serviceContext(deps, request), request.params.id),
  );

  r.put(
    '/domain/:id/dataSources',
    {
      config: { auth: 'authenticated', audit: 'DomainDataSourcesUpdated' },
      schema: {
        tags: ['domains'],
        summary: 'Add data sources to a domain, or remove them',
        description:
          'A data source belongs to at most one domain: adding one that is in another domain moves it. GOVERNANCE may do anything; an owner of a data source that is in no domain may add it. Moving a data source out of a domain, or removing it, needs GOVERNANCE.',
        params: idParams,
        body: z
          .object({
            add: z.array(dataSourceIdSchema).max(1000).optional(),
            remove: z.array(dataSourceIdSchema).max(1000).optional(),
          })
          .strict(),
        response: {
          200: z.object({
            domain: domainSchema,
            added: z.array(z.string()),
            moved: z.array(z.string()).describe('Added data sources that were in another domain.'),
            removed: z.array(z.string()),
          }),
        },
      },
    },
    async (request) =>
      updateDomainDataSources(serviceContext(deps, request), request.params.id, request.body),
  );

  r.put(
    '/domain/:id/permissions',
    {
      config: { auth: GOVERNANCE, audit: 'DomainPermissionsUpdated' },
      schema: {
        tags: ['domains'],
        summary: "Replace the domain's permissions",
        description: 'The list is complete: a user left out loses their permissions in this domain.',
        params: idParams,
        body: z
          .object({
            users: z
              .array(
                z
                  .object({
                    userId: z.number().int().positive(),
                    permissions: z.array(z.enum(DOMAIN_PERMISSIONS)).max(DOMAIN_PERMISSIONS.length * 2),
                  })
                  .strict(),
              )
              .max(10_000),
          })
          .strict(),
        response: { 200: domainSchema },
      },
    },
    async (request) =>
      replaceDomainPermissions(serviceContext(deps, request), request.params.id, request.body.users),
  );
}
