import { z } from 'zod';
import { tagNameSchema } from '../../tags/tag-name.ts';

/** Where a tag, or the application of a tag, came from. */
export const tagSourceSchema = z.enum(['manual', 'discovered', 'external', 'schemaChange']);

/** A tag of the vocabulary, as `GET /tag` lists it. */
export const tagSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    source: tagSourceSchema,
    parent: z.string().nullable().describe('The name of the parent tag, or null for a root tag.'),
    createdAt: z.string(),
  })
  .meta({ id: 'Tag' });

/** A tag as applied to a data source or a column. */
export const appliedTagSchema = z
  .object({ name: z.string(), source: tagSourceSchema, addedAt: z.string() })
  .meta({ id: 'AppliedTag' });

/** One tag to create. */
export const newTagSchema = z
  .object({
    name: tagNameSchema,
    description: z.string().max(2000).optional(),
  })
  .strict();

/** A tag named by reference in a body: `{name}`; `source` and `addedAt` sent back from a read are ignored. */
export const tagRefSchema = z
  .object({ name: tagNameSchema, source: tagSourceSchema.optional(), addedAt: z.string().optional() })
  .strict();

/** The model types a tag can be applied to through `/tag/{modelType}/{modelId}`. */
export const TAG_MODEL_TYPES = ['datasource', 'column'] as const;
