import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { tagNameSchema } from '../../tags/tag-name.ts';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { requires } from '../route-config.ts';
import { nextField, pageQuery, toPage } from '../schemas/common.ts';
import {
  appliedTagSchema,
  newTagSchema,
  TAG_MODEL_TYPES,
  tagRefSchema,
  tagSchema,
  tagSourceSchema,
} from '../schemas/tags.ts';
import { applyTags, removeTag } from '../services/tags/apply-tags.ts';
import { createTags } from '../services/tags/create-tags.ts';
import { deleteTag } from '../services/tags/delete-tag.ts';
import { searchTags } from '../services/tags/search-tags.ts';
import { parseTagTarget } from '../services/tags/tag-target.ts';

const createBody = z
  .object({
    tags: z.array(newTagSchema).min(1).max(1000).optional().describe('Several tags to create.'),
    name: tagNameSchema.optional().describe('One tag to create (instead of `tags`).'),
    description: z.string().max(2000).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if ((body.tags === undefined) === (body.name === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['tags'], message: 'give either tags or name' });
    }
    if (body.tags !== undefined && body.description !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['description'], message: 'goes inside each item of tags' });
    }
  });

/** `[{name}]`, `["name"]` and `{tags: [...]}` are all accepted; items may be names or `{name}`. */
const applyBody = z.preprocess((body) => {
  const wrapped = Array.isArray(body) ? { tags: body } : body;
  if (typeof wrapped !== 'object' || wrapped === null || !Array.isArray((wrapped as { tags?: unknown }).tags))
    return wrapped;
  const tags = (wrapped as { tags: unknown[] }).tags.map((t) => (typeof t === 'string' ? { name: t } : t));
  return { ...wrapped, tags };
}, z.object({ tags: z.array(tagRefSchema).min(1).max(1000) }).strict());

const modelParams = z
  .object({
    modelType: z.enum(TAG_MODEL_TYPES),
    modelId: z.string().min(1).max(2000),
  })
  .strict();

const MODEL_NOTE =
  'A data source is `datasource/{dataSourceId}`; a column is `column/{dataSourceId}_{columnName}` (the first underscore separates them; percent-encode the column name). Needs the GOVERNANCE permission, or being an owner or expert of the data source.';

const targetTagsSchema = z.object({
  modelType: z.enum(TAG_MODEL_TYPES),
  modelId: z.string(),
  tags: z.array(appliedTagSchema),
});

/** The tag API of the reference: the vocabulary (search, create, delete) and tagging data sources and columns. */
export async function tagRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.store.db;

  r.get(
    '/tag',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags: ['tags'],
        summary: 'Search the tags',
        description: 'Tags are listed by name, so each parent precedes its children.',
        querystring: z
          .object({
            searchText: z.string().max(200).optional().describe('A case-insensitive part of the name.'),
            prefix: z.string().max(200).optional().describe('A case-insensitive start of the name.'),
            under: tagNameSchema.optional().describe('Only this tag and the tags below it.'),
            source: tagSourceSchema.optional(),
            ...pageQuery,
          })
          .strict(),
        response: { 200: z.object({ tags: z.array(tagSchema), next: nextField }) },
      },
    },
    async (request) => {
      const { offset, size, ...filters } = request.query;
      const page = toPage(await searchTags(db, { ...filters, offset, limit: size + 1 }), offset, size);
      return { tags: page.items, next: page.next };
    },
  );

  r.post(
    '/tag',
    {
      config: { auth: requires('GOVERNANCE'), audit: 'TagCreated' },
      schema: {
        tags: ['tags'],
        summary: 'Create tags',
        description:
          'Send `{tags: [{name, description?}]}` as the reference does, or one `{name, description?}`. Names are dot-separated hierarchies; missing parents are created too (`PII.Email` creates `PII`). A tag that exists already is TAG_TAKEN.',
        body: createBody,
        response: { 200: z.object({ tags: z.array(tagSchema), created: z.array(z.string()) }) },
      },
    },
    async (request) => {
      const body = request.body;
      const tags = body.tags ?? [{ name: body.name!, description: body.description }];
      return createTags(serviceContext(deps, request), tags, (i) =>
        body.tags ? ['tags', i, 'name'] : ['name'],
      );
    },
  );

  r.delete(
    '/tag/:tag',
    {
      config: { auth: requires('GOVERNANCE'), audit: 'TagDeleted' },
      schema: {
        tags: ['tags'],
        summary: 'Delete a tag and the tags below it',
        description:
          'Refused with TAG_IN_USE while the tag or one below it is on a data source or column (or used by a policy), unless `force=true`, which also removes it from them.',
        params: z.object({ tag: tagNameSchema }).strict(),
        querystring: z
          .object({ force: z.enum(['true', 'false']).default('false').describe('Delete even while in use.') })
          .strict(),
        response: {
          200: z.object({
            deleted: z.array(z.string()),
            usage: z.array(z.object({ kind: z.string(), count: z.number().int() })),
          }),
        },
      },
    },
    async (request) =>
      deleteTag(serviceContext(deps, request), request.params.tag, request.query.force === 'true'),
  );

  r.post(
    '/tag/:modelType/:modelId',
    {
      config: { auth: 'authenticated', audit: 'TagsApplied' },
      schema: {
        tags: ['tags'],
        summary: 'Tag a data source or a column',
        description: `${MODEL_NOTE} The body is \`[{name}]\` (as the reference sends it) or \`{tags: [{name}]}\`; the tags must exist.`,
        params: modelParams,
        body: applyBody,
        response: { 200: targetTagsSchema },
      },
    },
    async (request) => {
      const target = parseTagTarget(request.params.modelType, request.params.modelId);
      const tags = request.body.tags.map((t, i) => ({ name: t.name, path: ['tags', i, 'name'] }));
      return applyTags(serviceContext(deps, request), target, tags);
    },
  );

  r.delete(
    '/tag/:modelType/:modelId/:tag',
    {
      config: { auth: 'authenticated', audit: 'TagRemoved' },
      schema: {
        tags: ['tags'],
        summary: 'Remove a tag from a data source or a column',
        description: `${MODEL_NOTE} Tags below it stay. A tag that discovery applied is marked rejected, so discovery does not apply it again.`,
        params: modelParams.extend({ tag: tagNameSchema }).strict(),
        response: { 200: targetTagsSchema },
      },
    },
    async (request) => {
      const target = parseTagTarget(request.params.modelType, request.params.modelId);
      return removeTag(serviceContext(deps, request), target, request.params.tag);
    },
  );
}
