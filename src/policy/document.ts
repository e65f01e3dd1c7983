import { z } from 'zod';
import { AppError, type FieldError, fieldError, toFieldName } from '../errors/index.ts';
import { and, type Condition, hasAttribute, inGroup, not, or, usingPurpose } from './condition.ts';
import { type DataRuleDoc, dataRuleSchema, label, subscriptionActionsSchema } from './document-actions.ts';
import {
  type CircumstanceDoc,
  type ConditionNode,
  circumstanceSchema,
  type EntitlementSetDoc,
  type FieldSelectorDoc,
  type MaskingConfigDoc,
} from './document-parts.ts';
import type { MaskSpec } from './mask.ts';
import type { Audience, Circumstance, DataRule, FieldSelector, Policy, SubscriptionSpec } from './policy.ts';
import type { RowExpr, TimeUnit } from './row-expr.ts';
import { subjectCondition } from './subject-condition.ts';
import { parseValueExpression, parseWhereClause } from './where/parse-where.ts';
import { rowChildren } from './where/row-walk.ts';

/**
 * The V2 policy document (the reference's policy-as-code format, in YAML or JSON), as zod schemas.
 * Parsing fills defaults, so two documents that mean the same thing parse to the same canonical form.
 */

const common = {
  policyKey: z.string().trim().min(1).max(200),
  name: label.optional(),
  staged: z.boolean().default(false),
  circumstanceOperator: z.enum(['any', 'all']).default('any'),
  circumstances: z.array(circumstanceSchema).max(100).default([]),
  certification: z.strictObject({ label: label.optional(), text: z.string().max(10_000) }).optional(),
  ownerRestrictions: z
    .null({ error: 'restricting a policy to the data sources of some owners is not supported by Steward' })
    .optional(),
};

/** A V2 policy document: `type` subscription (an `actions` object) or data (an array of rule lists). */
export const policyDocumentSchema = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({ ...common, type: z.literal('subscription'), actions: subscriptionActionsSchema }),
      z.strictObject({
        ...common,
        type: z.literal('data'),
        actions: z
          .array(
            z.strictObject({
              rules: z.array(dataRuleSchema).min(1).max(100),
              description: z.string().max(2000).optional(),
            }),
          )
          .min(1)
          .max(50),
      }),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union' ? 'must be "subscription" or "data"' : 'must be a policy document',
    },
  )
  .transform(({ ownerRestrictions: _ignored, ...doc }) => ({ ...doc, name: doc.name ?? doc.policyKey }));

/** A parsed, canonical V2 policy document: defaults filled in, `name` defaulting to the key. */
export type PolicyDocument = z.output<typeof policyDocumentSchema>;

function toFieldErrors(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(fieldError('body', [...path, key], 'is not a known field'));
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      out.push(fieldError('body', path, 'is required'));
    } else {
      out.push(fieldError('body', path, issue.message));
    }
  }
  return out;
}

/** Builds the POLICY_INVALID error for field errors, naming the first offending field in its detail. */
export function policyInvalid(errors: readonly FieldError[]): AppError {
  const [first] = errors;
  const where = first ? `${first.field === '' ? 'the document' : first.field}: ${first.detail}` : 'invalid';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new AppError('POLICY_INVALID', `Invalid policy document, ${where}${more}.`, { errors });
}

/**
 * Parses a V2 policy document (already read from YAML or JSON) into its canonical form, or throws
 * POLICY_INVALID with one field error per problem: unknown fields, missing ones, unsupported types.
 * `prefix` is where the document sits in the request body.
 */
export function parsePolicyDocument(input: unknown, prefix: readonly PropertyKey[] = []): PolicyDocument {
  const result = policyDocumentSchema.safeParse(input);
  if (result.success) return result.data;
  throw policyInvalid(toFieldErrors(result.error.issues, prefix));
}

/** Serialises a value with object keys sorted, so equal documents give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Who a normalized policy is: its id, and where it applies (a local policy names its data source). */
export interface PolicyIdentity {
  readonly id: number;
  readonly scope: 'global' | 'local';
  readonly dataSourceId?: string;
}

type Path = readonly PropertyKey[];

/** What a document refers to, each with where it is in the document: for validation against the store. */
export interface PolicyReferences {
  /** Tags named by circumstances, column selectors and `@columnTagged`. */
  readonly tags: readonly { readonly path: Path; readonly tag: string }[];
  /** Parsed custom WHERE clauses and expressions. */
  readonly expressions: readonly { readonly path: Path; readonly expr: RowExpr }[];
  /** Columns named by `columnName` selectors. */
  readonly columns: readonly { readonly path: Path; readonly name: string }[];
}

interface Collector {
  readonly tags: { path: Path; tag: string }[];
  readonly expressions: { path: Path; expr: RowExpr }[];
  readonly columns: { path: Path; name: string }[];
}

function entitlementCondition(set: EntitlementSetDoc): Condition {
  const items: Condition[] = [
    ...set.groups.map(inGroup),
    ...set.attributes.map((a) => hasAttribute(a.name, a.value)),
    ...set.purposes.map(usingPurpose),
    ...(set.condition ? [nodeCondition(set.condition)] : []),
  ];
  return set.operator === 'all' ? and(...items) : or(...items);
}

function nodeCondition(node: ConditionNode): Condition {
  if (node.and) return and(...node.and.map(nodeCondition));
  if (node.or) return or(...node.or.map(nodeCondition));
  if (node.not) return not(nodeCondition(node.not));
  if (node.group !== undefined) return inGroup(node.group);
  if (node.attribute) return hasAttribute(node.attribute.name, node.attribute.value);
  return usingPurpose(node.purpose ?? '');
}

function audience(rule: DataRuleDoc): Audience {
  if (rule.exceptions) return { kind: 'except', condition: entitlementCondition(rule.exceptions) };
  if (rule.inclusions) return { kind: 'who', condition: entitlementCondition(rule.inclusions) };
  return { kind: 'everyone' };
}

function circumstance(c: CircumstanceDoc, path: Path, out: Collector): Circumstance {
  switch (c.type) {
    case 'tags':
      out.tags.push({ path: [...path, 'tag'], tag: c.tag });
      return { kind: 'tags', tag: c.tag };
    case 'columnTags':
      out.tags.push({ path: [...path, 'columnTag'], tag: c.columnTag });
      return { kind: 'columnTags', tag: c.columnTag };
    case 'columnRegex':
      return { kind: 'columnRegex', regex: c.regex, caseInsensitive: c.caseInsensitive };
    case 'server':
    case 'connection':
      return { kind: 'connection', connectionKey: c.connectionKey };
  }
}

function selector(f: FieldSelectorDoc, path: Path, out: Collector): FieldSelector {
  switch (f.type) {
    case 'columnTags':
      out.tags.push({ path: [...path, 'columnTag'], tag: f.columnTag });
      return { kind: 'columnTag', tag: f.columnTag };
    case 'columnName':
      out.columns.push({ path: [...path, 'columnName'], name: f.columnName });
      return { kind: 'columnName', name: f.columnName };
    case 'columnRegex':
      return { kind: 'columnRegex', regex: f.regex, caseInsensitive: f.caseInsensitive };
    case 'anyTag':
      return { kind: 'anyTag' };
    case 'noTags':
      return { kind: 'noTags' };
  }
}

function collectTagged(expr: RowExpr, path: Path, out: Collector): void {
  out.expressions.push({ path, expr });
  const visit = (node: RowExpr): void => {
    if (node.kind === 'columnTagged') out.tags.push({ path, tag: node.tag });
    for (const child of rowChildren(node)) visit(child);
  };
  visit(expr);
}

async function where(text: string, path: Path, out: Collector): Promise<RowExpr> {
  const expr = await parseWhereClause(text, toFieldName(path));
  collectTagged(expr, path, out);
  return expr;
}

async function maskSpec(config: MaskingConfigDoc, path: Path, out: Collector): Promise<MaskSpec> {
  switch (config.type) {
    case 'Hash':
    case 'Hashing':
    case 'Consistent Value':
      return { kind: 'hash' };
    case 'Null':
    case 'Nullify':
      return { kind: 'null' };
    case 'Constant':
      return { kind: 'constant', value: String(config.constant) };
    case 'Regex':
    case 'Regular Expression':
      return {
        kind: 'regex',
        pattern: config.regex,
        replacement: config.replacement,
        caseInsensitive: config.caseInsensitive,
      };
    case 'Rounding':
    case 'Generalization':
      return {
        kind: 'round',
        ...(config.bucketSize !== undefined ? { bucketSize: config.bucketSize } : {}),
        ...(config.timePrecision !== undefined
          ? { timePrecision: config.timePrecision.toLowerCase() as TimeUnit }
          : {}),
      };
    case 'Custom Function': {
      const at = [...path, 'expression'];
      const expression = await parseValueExpression(config.expression, toFieldName(at));
      collectTagged(expression, at, out);
      return { kind: 'custom', expression };
    }
  }
}

async function dataRule(rule: DataRuleDoc, path: Path, out: Collector): Promise<DataRule> {
  const who = audience(rule);
  const config = [...path, 'config'];
  const fieldAt = (i: number) => [...config, 'fields', i];
  switch (rule.type) {
    case 'Masking': {
      const c = rule.config;
      const fields = c.fields.map((f, i) => selector(f, fieldAt(i), out));
      const mask = await maskSpec(c.maskingConfig, [...config, 'maskingConfig'], out);
      const conditionalPredicate = c.conditionalPredicate
        ? await where(c.conditionalPredicate, [...config, 'conditionalPredicate'], out)
        : undefined;
      const otherwise = c.otherwise ? await maskSpec(c.otherwise, [...config, 'otherwise'], out) : undefined;
      return {
        kind: 'masking',
        audience: who,
        fields,
        mask,
        ...(conditionalPredicate ? { conditionalPredicate } : {}),
        ...(otherwise ? { otherwise } : {}),
      };
    }
    case 'Row Restriction By User Entitlements': {
      const m = rule.config.matchBy;
      return {
        kind: 'rowByEntitlement',
        audience: who,
        field: selector(rule.config.fields[0]!, fieldAt(0), out),
        match: m.type === 'attribute' ? { kind: 'attribute', key: m.attribute } : { kind: 'groups' },
      };
    }
    case 'Row Restriction by Custom Where Clause':
      return {
        kind: 'customWhere',
        audience: who,
        where: await where(rule.config.predicate, [...config, 'predicate'], out),
      };
    case 'Time Restriction':
      return {
        kind: 'time',
        audience: who,
        field: selector(rule.config.fields[0]!, fieldAt(0), out),
        direction: rule.config.direction,
        amount: rule.config.amount,
        unit: rule.config.unit.toLowerCase() as TimeUnit,
      };
    case 'Minimization': {
      const field = rule.config.fields?.[0];
      return {
        kind: 'minimization',
        audience: who,
        percent: rule.config.percent,
        ...(field ? { field: selector(field, fieldAt(0), out) } : {}),
      };
    }
    case 'Purpose Restriction':
      return { kind: 'purposeRestriction', audience: who, purposes: rule.config.purposes };
  }
}

async function subscriptionSpec(
  actions: Extract<PolicyDocument, { type: 'subscription' }>['actions'],
  out: Collector,
): Promise<SubscriptionSpec> {
  const common = {
    role: actions.policyRole,
    shareResponsibility: actions.shareResponsibility,
    allowDiscovery: actions.allowDiscovery,
  } as const;
  switch (actions.type) {
    case 'anyone':
      return { access: { kind: 'anyone' }, ...common };
    case 'manual':
      return { access: { kind: 'manual' }, ...common };
    case 'approval':
      return { access: { kind: 'approval', approvals: actions.approvals ?? [] }, ...common };
    case 'entitlements': {
      if (actions.entitlements) {
        return {
          access: { kind: 'entitlements', condition: entitlementCondition(actions.entitlements) },
          ...common,
        };
      }
      const path = ['actions', 'advanced'];
      const expr = await where(actions.advanced ?? '', path, out);
      const condition = subjectCondition(expr);
      if (condition === undefined) {
        throw policyInvalid([
          fieldError(
            'body',
            path,
            'may only test the user (@isInGroups, @hasAttribute, @isUsingPurpose with AND, OR, NOT), not the rows',
          ),
        ]);
      }
      return { access: { kind: 'entitlements', condition }, ...common };
    }
  }
}

/**
 * Normalizes a parsed document into the policy IR and lists what it refers to (tags, columns, parsed
 * WHERE clauses, each with its place in the document). Parses every custom WHERE clause and
 * expression, so an invalid one fails here with POLICY_WHERE_INVALID naming its field; a local
 * policy with circumstances is POLICY_INVALID.
 */
export async function analyzePolicy(
  doc: PolicyDocument,
  identity: PolicyIdentity,
): Promise<{ readonly policy: Policy; readonly references: PolicyReferences }> {
  if (identity.scope === 'local' && doc.circumstances.length > 0) {
    throw policyInvalid([
      fieldError(
        'body',
        ['circumstances'],
        'a local policy applies to its own data source: leave circumstances out',
      ),
    ]);
  }
  const out: Collector = { tags: [], expressions: [], columns: [] };
  const circumstances = doc.circumstances.map((c, i) => circumstance(c, ['circumstances', i], out));
  let subscription: SubscriptionSpec | undefined;
  const rules: DataRule[] = [];
  if (doc.type === 'subscription') subscription = await subscriptionSpec(doc.actions, out);
  else {
    for (const [a, action] of doc.actions.entries()) {
      for (const [r, rule] of action.rules.entries())
        rules.push(await dataRule(rule, ['actions', a, 'rules', r], out));
    }
  }
  const policy: Policy = {
    id: identity.id,
    policyKey: doc.policyKey,
    name: doc.name,
    type: doc.type,
    scope: identity.scope,
    ...(identity.dataSourceId !== undefined ? { dataSourceId: identity.dataSourceId } : {}),
    staged: doc.staged,
    circumstances,
    circumstanceOperator: doc.circumstanceOperator,
    ...(subscription ? { subscription } : {}),
    rules,
  };
  return { policy, references: out };
}

/**
 * Returns the policy IR of a parsed document: exceptions become an `except` audience, inclusions a
 * `who` audience, neither `everyone`; masking types become mask specs (`Rounding` a `round` with its
 * bucket size or lowercased time precision); WHERE clauses are parsed.
 */
export async function normalizePolicy(doc: PolicyDocument, identity: PolicyIdentity): Promise<Policy> {
  return (await analyzePolicy(doc, identity)).policy;
}
