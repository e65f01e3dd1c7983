import { z } from 'zod';
import { tagNameSchema } from '../../tags/tag-name.ts';

/** The root every discovered tag lives under, as the reference requires. */
export const DISCOVERED_ROOT = 'Discovered';

/** The column type families a value identifier can be tested on. */
export const TYPE_FAMILIES = [
  'text',
  'integer',
  'decimal',
  'float',
  'boolean',
  'date',
  'timestamp',
  'binary',
  'json',
  'array',
  'struct',
  'map',
  'other',
] as const;

/** The identifier types a user can create; built-in identifiers are listed with type `builtIn`. */
export const CLASSIFIER_TYPES = ['regex', 'columnNameRegex', 'dictionary'] as const;

/** An identifier's name: uppercase letters, digits and underscores, starting with a letter. */
export const classifierNameSchema = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{0,127}$/, 'must be uppercase letters, digits and _ (starting with a letter)')
  .describe('Unique, request-friendly identifier name: uppercase letters, digits and `_`.');

/** A framework's name: letters, digits, `_`, `.` and `-`, starting with a letter or digit. */
export const templateNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/,
    'must be letters, digits, _, . and - (starting with a letter or digit)',
  )
  .describe('Unique, request-friendly framework name.');

/** A tag an identifier applies: a valid tag name under `Discovered.`. */
export const discoveredTagSchema = tagNameSchema.refine((name) => name.startsWith(`${DISCOVERED_ROOT}.`), {
  message: `must begin with ${DISCOVERED_ROOT}.`,
});

const discoveredTags = z
  .array(discoveredTagSchema)
  .max(50)
  .describe(`Tags to apply on a match; each must begin with \`${DISCOVERED_ROOT}.\`.`);

const minConfidence = z
  .number()
  .min(0)
  .max(1)
  .describe(
    'Accepted for compatibility and ignored: an identifier qualifies when it matches at least 90 % of the sampled values.',
  );

/** Fields a read returns that a write may send back unchanged; they are ignored. */
const readOnly = {
  id: z.unknown().optional(),
  createdBy: z.unknown().optional(),
  createdAt: z.unknown().optional(),
  updatedAt: z.unknown().optional(),
};

const dictionaryValue = z.string().trim().min(1).max(500);

/** The `config` of an identifier in a create or update body. */
const classifierConfigSchema = z
  .object({
    regex: z
      .string()
      .min(1)
      .max(2000)
      .optional()
      .describe('A regular expression matched against whole values.'),
    columnNameRegex: z
      .string()
      .min(1)
      .max(2000)
      .optional()
      .describe('A regular expression searched for in column names.'),
    values: z.array(dictionaryValue).min(1).max(10_000).optional().describe('The values of a dictionary.'),
    caseSensitive: z
      .boolean()
      .default(false)
      .describe('Whether matching is case-sensitive. Defaults to false.'),
    tags: discoveredTags.default([]),
    minConfidence: minConfidence.optional(),
    specificity: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .optional()
      .describe(
        'Steward extension: among competing identifiers that qualify on a column, the most specific wins (built-ins range 20 to 95; default 100).',
      ),
    dataTypes: z
      .array(z.enum(TYPE_FAMILIES))
      .min(1)
      .max(TYPE_FAMILIES.length)
      .optional()
      .describe(
        'Steward extension: the column type families a value identifier is tested on (default `text`).',
      ),
    canonical: z.unknown().optional().describe('Read-only; ignored.'),
    validator: z.unknown().optional().describe('Read-only; ignored.'),
  })
  .strict();

const CRITERIA = { regex: 'regex', columnNameRegex: 'columnNameRegex', dictionary: 'values' } as const;

/** The body of `POST /sdd/classifier` and `PUT /sdd/classifier/{name}`. */
export const classifierBodySchema = z
  .object({
    name: classifierNameSchema,
    displayName: z.string().trim().min(1).max(200).describe('Unique, human-readable identifier name.'),
    description: z.string().max(2000).default(''),
    type: z.enum([...CLASSIFIER_TYPES, 'builtIn']).describe('`regex`, `columnNameRegex` or `dictionary`.'),
    config: classifierConfigSchema,
    ...readOnly,
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.type === 'builtIn') {
      ctx.addIssue({ code: 'custom', path: ['type'], message: 'built-in identifiers cannot be created' });
      return;
    }
    const wanted = CRITERIA[body.type];
    for (const field of Object.values(CRITERIA)) {
      const given = body.config[field] !== undefined;
      if (field === wanted && !given) {
        ctx.addIssue({
          code: 'custom',
          path: ['config', field],
          message: `is required for type ${body.type}`,
        });
      } else if (field !== wanted && given) {
        ctx.addIssue({
          code: 'custom',
          path: ['config', field],
          message: `is not used by type ${body.type}`,
        });
      }
    }
    if (body.type === 'columnNameRegex' && body.config.dataTypes !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['config', 'dataTypes'],
        message: 'is not used by type columnNameRegex',
      });
    }
  });

/** A validated identifier body. */
export type ClassifierBody = z.infer<typeof classifierBodySchema>;

/** Who created an identifier or a framework (null for built-ins, or once the user is deleted). */
const createdBySchema = z
  .object({ id: z.number().int(), name: z.string(), email: z.string().nullable() })
  .nullable();

/** An identifier as the API returns it. */
export const classifierSchema = z
  .object({
    name: z.string(),
    displayName: z.string(),
    description: z.string(),
    type: z.enum([...CLASSIFIER_TYPES, 'builtIn']),
    config: z.object({
      regex: z.string().optional(),
      columnNameRegex: z.string().optional(),
      values: z.array(z.string()).optional(),
      caseSensitive: z.boolean(),
      tags: z.array(z.string()),
      minConfidence: z.number().describe('The share of sampled values an identifier must match: 0.9.'),
      specificity: z.number().int(),
      dataTypes: z.array(z.string()),
      canonical: z
        .string()
        .optional()
        .describe('The portable, anchored pattern Steward and the platform evaluate.'),
      validator: z.string().optional().describe('The checksum a built-in also requires of a matching value.'),
    }),
    builtIn: z.boolean(),
    createdBy: createdBySchema,
    createdAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'SddClassifier' });

/** One identifier of a framework: its name and the tags the framework applies for it. */
const templateEntrySchema = z
  .object({
    name: z.string().min(1).max(128).describe('The name of an existing identifier, built-in or not.'),
    overrides: z
      .object({
        tags: discoveredTags
          .optional()
          .describe(
            "The tags to apply for this identifier in this framework; without it the identifier's tags are copied.",
          ),
        minConfidence: minConfidence.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** The body of `POST /sdd/template` and `PUT /sdd/template/{name}`. */
export const templateBodySchema = z
  .object({
    name: templateNameSchema.refine((n) => n !== 'global' && n !== 'apply', {
      message: 'is reserved',
    }),
    displayName: z.string().trim().min(1).max(200).describe('Unique, human-readable framework name.'),
    description: z.string().max(2000).default(''),
    classifiers: z.array(templateEntrySchema).max(1000),
    global: z.unknown().optional().describe('Read-only; ignored (use PUT /sdd/template/global).'),
    builtIn: z.unknown().optional().describe('Read-only; ignored.'),
    ...readOnly,
  })
  .strict();

/** A validated framework body. */
export type TemplateBody = z.infer<typeof templateBodySchema>;

/** A framework as the API returns it. */
export const templateSchema = z
  .object({
    name: z.string(),
    displayName: z.string(),
    description: z.string(),
    classifiers: z.array(
      z.object({
        name: z.string(),
        overrides: z.object({ tags: z.array(z.string()) }).optional(),
      }),
    ),
    global: z.boolean().describe('Whether this is the global framework.'),
    builtIn: z.boolean().describe('The built-in framework holds every built-in identifier.'),
    createdBy: createdBySchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'SddTemplate' });

/** Sort order of a search. */
export const sortOrderSchema = z.enum(['asc', 'desc']).default('asc');

/** Paging of the reference's searches: `offset` (also spelt `offSet`) and `limit`. */
export const searchPaging = {
  offset: z.coerce.number().int().min(0).optional().describe('How many results to skip.'),
  offSet: z.coerce.number().int().min(0).optional().describe('The reference spelling of `offset`.'),
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('At most this many results.'),
};
