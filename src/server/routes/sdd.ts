import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataSourceIdSchema } from '../../datasources/data-source-row.ts';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { requires } from '../route-config.ts';
import { listParam } from '../schemas/common.ts';
import {
  CLASSIFIER_TYPES,
  classifierBodySchema,
  classifierNameSchema,
  classifierSchema,
  searchPaging,
  sortOrderSchema,
  templateBodySchema,
  templateNameSchema,
  templateSchema,
} from '../schemas/sdd.ts';
import { applyFramework, setGlobalFramework } from '../services/discovery/framework-assignments.ts';
import { createFramework, deleteFramework, updateFramework } from '../services/discovery/frameworks.ts';
import { createIdentifier, deleteIdentifier, updateIdentifier } from '../services/discovery/identifiers.ts';
import {
  getFramework,
  getGlobalFramework,
  searchFrameworks,
  TEMPLATE_SORT_FIELDS,
} from '../services/discovery/search-frameworks.ts';
import {
  CLASSIFIER_SORT_FIELDS,
  getIdentifier,
  searchIdentifiers,
} from '../services/discovery/search-identifiers.ts';

const TAGS = ['discovery'];

const GOVERNANCE = requires('GOVERNANCE');

const classifierParams = z.object({ name: classifierNameSchema }).strict();

const templateParams = z.object({ name: templateNameSchema }).strict();

const forceQuery = z
  .object({ force: z.enum(['true', 'false']).default('false').describe('Delete even while in use.') })
  .strict();

const IDENTIFIER_NOTE =
  'Value patterns (`config.regex`) must match a whole value; column-name patterns (`config.columnNameRegex`) are searched for in the name unless anchored. Patterns must be in the portable, linear-time subset both Steward and the platforms evaluate (no lookaround, no backreferences, no nested quantifiers; SDD_PATTERN_INVALID names what is refused). Matching is case-insensitive unless `config.caseSensitive`. Tags must begin with `Discovered.`; missing ones are created.';

const page = <T extends z.ZodType>(hit: T) =>
  z.object({ count: z.number().int().describe('How many match in all.'), hits: z.array(hit) });

/** `offset` wins over the reference spelling `offSet`. */
const offsetOf = (q: { offset?: number | undefined; offSet?: number | undefined }) =>
  q.offset ?? q.offSet ?? 0;

const idList = z
  .array(z.union([dataSourceIdSchema, z.number().int().positive().transform(String)]))
  .max(10_000)
  .default([])
  .describe('Data sources to assign the framework to (numbers or numeric strings).');

const applyBody = z
  .object({
    name: templateNameSchema
      .nullable()
      .describe('The framework to assign, or null to clear the assignments.'),
    dataSourceIds: idList,
    domainIds: z
      .array(z.number().int().positive())
      .max(10_000)
      .default([])
      .describe(
        'Steward extension: domains to assign the framework to; their data sources without a framework of their own use it.',
      ),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.dataSourceIds.length === 0 && body.domainIds.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['dataSourceIds'], message: 'give data sources or domainIds' });
    }
  });

/** Identifier routes: `/sdd/classifier`. */
async function classifierRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.store.db;

  r.post(
    '/sdd/classifier',
    {
      config: { auth: GOVERNANCE, audit: 'SddClassifierCreated' },
      schema: {
        tags: TAGS,
        summary: 'Create an identifier',
        description: `An identifier recognises one kind of sensitive data and names the tags to apply. ${IDENTIFIER_NOTE} To run it, add it to a framework.`,
        body: classifierBodySchema,
        response: { 200: classifierSchema },
      },
    },
    async (request) => createIdentifier(serviceContext(deps, request), request.body),
  );

  r.get(
    '/sdd/classifier',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: 'Search the identifiers, built-in and user-defined',
        description:
          'Built-in identifiers are listed with type `builtIn`; their rules are shown but cannot be changed.',
        querystring: z
          .object({
            searchText: z
              .string()
              .max(200)
              .optional()
              .describe('A case-insensitive part of the name or display name.'),
            type: listParam(z.enum([...CLASSIFIER_TYPES, 'builtIn'])).describe(
              'Only these types (repeat or comma-separate).',
            ),
            sortField: z.enum(CLASSIFIER_SORT_FIELDS).default('name'),
            sortOrder: sortOrderSchema,
            ...searchPaging,
          })
          .strict(),
        response: { 200: page(classifierSchema) },
      },
    },
    async (request) => {
      const q = request.query;
      return searchIdentifiers(db, {
        searchText: q.searchText,
        types: q.type,
        sortField: q.sortField,
        sortOrder: q.sortOrder,
        offset: offsetOf(q),
        limit: q.limit,
      });
    },
  );

  r.get(
    '/sdd/classifier/:name',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: 'One identifier',
        params: classifierParams,
        response: { 200: classifierSchema },
      },
    },
    async (request) => getIdentifier(db, request.params.name),
  );

  r.put(
    '/sdd/classifier/:name',
    {
      config: { auth: GOVERNANCE, audit: 'SddClassifierUpdated' },
      schema: {
        tags: TAGS,
        summary: 'Update an identifier',
        description: `The body is the whole identifier, as for creating it (it cannot be renamed). A changed rule applies in every framework holding the identifier; changed tags only in frameworks it joins later, since each framework keeps the tags it copied. Built-in identifiers cannot be edited (SDD_BUILTIN_READ_ONLY). ${IDENTIFIER_NOTE}`,
        params: classifierParams,
        body: classifierBodySchema,
        response: { 200: classifierSchema },
      },
    },
    async (request) => updateIdentifier(serviceContext(deps, request), request.params.name, request.body),
  );

  r.delete(
    '/sdd/classifier/:name',
    {
      config: { auth: GOVERNANCE, audit: 'SddClassifierDeleted' },
      schema: {
        tags: TAGS,
        summary: 'Delete an identifier',
        description:
          'Built-in identifiers cannot be deleted (SDD_BUILTIN_READ_ONLY). One that a framework holds is refused with SDD_CLASSIFIER_IN_USE, whose `templates` lists the frameworks, unless `force=true`, which also takes it out of them. Answers the identifier as it was, with `removedFrom`.',
        params: classifierParams,
        querystring: forceQuery,
        response: {
          200: classifierSchema.extend({
            removedFrom: z.array(z.string()).describe('The frameworks it was taken out of.'),
          }),
        },
      },
    },
    async (request) =>
      deleteIdentifier(serviceContext(deps, request), request.params.name, request.query.force === 'true'),
  );
}

/** Framework routes: `/sdd/template`, the global framework and assignments. */
async function templateRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.store.db;

  r.post(
    '/sdd/template',
    {
      config: { auth: GOVERNANCE, audit: 'SddTemplateCreated' },
      schema: {
        tags: TAGS,
        summary: 'Create a framework',
        description:
          "A framework is a named set of identifiers; discovery runs the framework of each data source. Each entry of `classifiers` names an existing identifier (built-in or not; SDD_CLASSIFIER_UNKNOWN names any that does not exist) and applies `overrides.tags`, or else a copy of the identifier's tags taken now. Tags must begin with `Discovered.`; missing ones are created.",
        body: templateBodySchema,
        response: { 200: templateSchema },
      },
    },
    async (request) => createFramework(serviceContext(deps, request), request.body),
  );

  r.get(
    '/sdd/template',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: 'Search the frameworks',
        querystring: z
          .object({
            searchText: z
              .string()
              .max(200)
              .optional()
              .describe('A case-insensitive part of the name or display name.'),
            sortField: z.enum(TEMPLATE_SORT_FIELDS).default('name'),
            sortOrder: sortOrderSchema,
            ...searchPaging,
          })
          .strict(),
        response: { 200: page(templateSchema) },
      },
    },
    async (request) => {
      const q = request.query;
      return searchFrameworks(db, {
        searchText: q.searchText,
        sortField: q.sortField,
        sortOrder: q.sortOrder,
        offset: offsetOf(q),
        limit: q.limit,
      });
    },
  );

  r.get(
    '/sdd/template/global',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: 'The global framework',
        description:
          'The framework of every data source with none of its own or of its domain. SDD_TEMPLATE_NOT_FOUND when no framework is global.',
        response: { 200: templateSchema },
      },
    },
    async () => getGlobalFramework(db),
  );

  r.put(
    '/sdd/template/global',
    {
      config: { auth: GOVERNANCE, audit: 'SddGlobalTemplateSet' },
      schema: {
        tags: TAGS,
        summary: 'Set the global framework',
        description:
          'Steward extension: `{name}` makes a framework the global one (at most one is); `{name: null}` leaves none global, so data sources with no framework of their own or of their domain are not discovered.',
        body: z
          .object({
            name: templateNameSchema.nullable().describe('The framework to make global, or null for none.'),
          })
          .strict(),
        response: {
          200: z.object({
            name: z.string().nullable().describe('The global framework now.'),
            previous: z.string().nullable().describe('The global framework before.'),
          }),
        },
      },
    },
    async (request) => setGlobalFramework(serviceContext(deps, request), request.body.name),
  );

  r.put(
    '/sdd/template/apply',
    {
      config: { auth: GOVERNANCE, audit: 'SddTemplateApplied' },
      schema: {
        tags: TAGS,
        summary: 'Assign a framework to data sources or domains',
        description:
          "A data source's own framework comes before its domain's, which comes before the global one. `name: null` clears the assignments, so they fall back to the next in line. The change takes effect on the next discovery run.",
        body: applyBody,
        response: {
          200: z.object({
            name: z.string().nullable(),
            dataSourceIds: z.array(z.string()),
            domainIds: z.array(z.number().int()),
          }),
        },
      },
    },
    async (request) => applyFramework(serviceContext(deps, request), request.body),
  );

  r.get(
    '/sdd/template/:name',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: 'One framework',
        params: templateParams,
        response: { 200: templateSchema },
      },
    },
    async (request) => getFramework(db, request.params.name),
  );

  r.put(
    '/sdd/template/:name',
    {
      config: { auth: GOVERNANCE, audit: 'SddTemplateUpdated' },
      schema: {
        tags: TAGS,
        summary: 'Update a framework',
        description:
          'The body is the whole framework, as for creating it (it cannot be renamed). An identifier the framework already held keeps the tags it applied there unless `overrides.tags` is given. The built-in framework cannot be edited (SDD_BUILTIN_READ_ONLY).',
        params: templateParams,
        body: templateBodySchema,
        response: { 200: templateSchema },
      },
    },
    async (request) => updateFramework(serviceContext(deps, request), request.params.name, request.body),
  );

  r.delete(
    '/sdd/template/:name',
    {
      config: { auth: GOVERNANCE, audit: 'SddTemplateDeleted' },
      schema: {
        tags: TAGS,
        summary: 'Delete a framework',
        description:
          'The built-in framework cannot be deleted (SDD_BUILTIN_READ_ONLY). A framework that is global or assigned to data sources or domains is refused with SDD_TEMPLATE_IN_USE unless `force=true`; they then fall back to the next framework in line (and none is global until one is made so).',
        params: templateParams,
        querystring: forceQuery,
        response: {
          200: templateSchema.extend({
            usage: z.object({
              global: z.boolean(),
              dataSources: z.number().int(),
              domains: z.number().int(),
            }),
          }),
        },
      },
    },
    async (request) =>
      deleteFramework(serviceContext(deps, request), request.params.name, request.query.force === 'true'),
  );
}

/** The reference's sensitive data discovery API: identifiers (`/sdd/classifier`) and frameworks (`/sdd/template`). */
export async function sddRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await classifierRoutes(app, deps);
  await templateRoutes(app, deps);
}
