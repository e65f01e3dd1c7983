import { z } from 'zod';
import { tagNameSchema } from '../tags/tag-name.ts';

/**
 * The building blocks of a V2 policy document (after the reference's policy-as-code API): column
 * selectors, circumstances, masking configurations and the subject conditions of exceptions,
 * inclusions and entitlements. Every object is strict, so a misspelt field is an error naming it.
 */

const name = z.string().trim().min(1).max(256);

/** A `type`-discriminated union whose unknown types say which are allowed, and which are known but unsupported. */
export function byType<
  const T extends readonly [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]],
>(options: T, allowed: readonly string[], unsupported: readonly string[] = []) {
  return z.discriminatedUnion('type', options, {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      const given = (issue.input as { type?: unknown } | undefined)?.type;
      if (given === undefined) return 'is required';
      if (typeof given === 'string' && unsupported.some((u) => u.toLowerCase() === given.toLowerCase())) {
        return `${JSON.stringify(given)} is not supported by Steward`;
      }
      return `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
    },
  });
}

/** A regular expression a column name is tested against (JavaScript syntax, Unicode mode). */
export const regexSchema = z
  .string()
  .min(1)
  .max(1000)
  .refine(
    (source) => {
      try {
        new RegExp(source, 'u');
        return true;
      } catch {
        return false;
      }
    },
    { message: 'is not a valid regular expression' },
  );

/** Chooses the columns a data rule targets: by tag, exact name, name pattern, any tag or no tag. */
export const fieldSelectorSchema = byType(
  [
    z.strictObject({ type: z.literal('columnTags'), columnTag: tagNameSchema }),
    z.strictObject({ type: z.literal('columnName'), columnName: z.string().min(1).max(256) }),
    z.strictObject({
      type: z.literal('columnRegex'),
      regex: regexSchema,
      caseInsensitive: z.boolean().default(false),
    }),
    z.strictObject({ type: z.literal('anyTag') }),
    z.strictObject({ type: z.literal('noTags') }),
  ],
  ['columnTags', 'columnName', 'columnRegex', 'anyTag', 'noTags'],
);

/** A column selector as a document holds it. */
export type FieldSelectorDoc = z.output<typeof fieldSelectorSchema>;

/** Where a global policy applies: data sources with a tag, a tagged column, a column name, or in a connection. */
export const circumstanceSchema = byType(
  [
    z.strictObject({ type: z.literal('tags'), tag: tagNameSchema }),
    z.strictObject({ type: z.literal('columnTags'), columnTag: tagNameSchema }),
    z.strictObject({
      type: z.literal('columnRegex'),
      regex: regexSchema,
      caseInsensitive: z.boolean().default(false),
    }),
    z.strictObject({ type: z.literal(['server', 'connection']), connectionKey: z.string().min(1).max(256) }),
  ],
  ['tags', 'columnTags', 'columnRegex', 'server', 'connection'],
  ['time', 'noTags', 'anyTag'],
);

/** A circumstance as a document holds it. */
export type CircumstanceDoc = z.output<typeof circumstanceSchema>;

const TIME_PRECISIONS = ['HOUR', 'DAY', 'MONTH', 'QUARTER', 'YEAR'] as const;

/** How a masking rule masks: the reference's masking types Steward supports, under their several names. */
export const maskingConfigSchema = byType(
  [
    z.strictObject({ type: z.literal(['Hash', 'Hashing', 'Consistent Value']) }),
    z.strictObject({ type: z.literal(['Null', 'Nullify']) }),
    z.strictObject({
      type: z.literal('Constant'),
      constant: z.union([z.string().max(1000), z.number(), z.boolean()]),
    }),
    z.strictObject({
      type: z.literal(['Regex', 'Regular Expression']),
      regex: regexSchema,
      replacement: z.string().max(1000).default(''),
      caseInsensitive: z.boolean().default(false),
    }),
    z
      .strictObject({
        type: z.literal(['Rounding', 'Generalization']),
        bucketSize: z.number().positive().finite().optional(),
        timePrecision: z.enum(TIME_PRECISIONS).optional(),
      })
      .refine((c) => c.bucketSize !== undefined || c.timePrecision !== undefined, {
        message: 'give bucketSize (numbers), timePrecision (dates and times) or both',
        path: ['bucketSize'],
      }),
    z.strictObject({ type: z.literal('Custom Function'), expression: z.string().min(1).max(10_000) }),
  ],
  [
    'Hash',
    'Hashing',
    'Consistent Value',
    'Null',
    'Nullify',
    'Constant',
    'Regex',
    'Regular Expression',
    'Rounding',
    'Generalization',
    'Custom Function',
  ],
  [
    'Format Preserving Masking',
    'FPE',
    'K-Anonymization',
    'KANON',
    'Randomized Response',
    'Reversible',
    'Reversible Masking',
  ],
);

/** A masking configuration as a document holds it. */
export type MaskingConfigDoc = z.output<typeof maskingConfigSchema>;

/** A Steward condition tree: exactly one of `and`, `or`, `not`, `group`, `attribute`, `purpose`. */
export interface ConditionNode {
  readonly and?: readonly ConditionNode[] | undefined;
  readonly or?: readonly ConditionNode[] | undefined;
  readonly not?: ConditionNode | undefined;
  readonly group?: string | undefined;
  readonly attribute?: { readonly name: string; readonly value: string } | undefined;
  readonly purpose?: string | undefined;
}

const attributeSchema = z.strictObject({ name, value: z.string().max(1000) });

/** The condition tree extension (`condition:`), nested at most as deep as a document allows. */
export const conditionNodeSchema: z.ZodType<ConditionNode> = z.lazy(() =>
  z
    .strictObject({
      and: z.array(conditionNodeSchema).min(1).max(100).optional(),
      or: z.array(conditionNodeSchema).min(1).max(100).optional(),
      not: conditionNodeSchema.optional(),
      group: name.optional(),
      attribute: attributeSchema.optional(),
      purpose: name.optional(),
    })
    .superRefine((node, ctx) => {
      const keys = Object.keys(node).filter((k) => node[k as keyof ConditionNode] !== undefined);
      if (keys.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          message: 'must have exactly one of and, or, not, group, attribute, purpose',
        });
      }
    }),
);

/**
 * Whom an exception, an inclusion or an entitlement set names: groups, attribute values and purposes
 * (any or all of them), plus an optional condition tree counted as one more item.
 */
export const entitlementSetSchema = z
  .strictObject({
    operator: z.enum(['any', 'all']).default('any'),
    groups: z.array(name).max(1000).default([]),
    attributes: z.array(attributeSchema).max(1000).default([]),
    purposes: z.array(name).max(1000).default([]),
    condition: conditionNodeSchema.optional(),
  })
  .refine((s) => s.groups.length + s.attributes.length + s.purposes.length > 0 || s.condition !== undefined, {
    message: 'name at least one group, attribute, purpose or condition',
  });

/** An entitlement set as a document holds it. */
export type EntitlementSetDoc = z.output<typeof entitlementSetSchema>;
