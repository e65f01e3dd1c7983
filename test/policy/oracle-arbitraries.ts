import fc from 'fast-check';
import type { PlanTarget } from '../../src/policy/access-plan.ts';
import {
  and,
  type Condition,
  hasAttribute,
  hasAttributeKey,
  inGroup,
  not,
  or,
  usingPurpose,
} from '../../src/policy/condition.ts';
import type { MaskSpec } from '../../src/policy/mask.ts';
import type { Audience, DataRule, FieldSelector, Policy } from '../../src/policy/policy.ts';
import {
  column,
  compare,
  inSubjectValues,
  literal,
  type RowExpr,
  subjectFact,
} from '../../src/policy/row-expr.ts';

/** The table every oracle run governs: its columns, types and tags. */
export const ORACLE_TARGET: PlanTarget = {
  id: '4242',
  connectionKey: 'oracle',
  database: 'oracle',
  schema: 'oracle',
  table: 'facts',
  tags: ['Domain.Sales'],
  columns: [
    { name: 'id', dataType: 'integer', tags: [] },
    { name: 'region', dataType: 'text', tags: ['Location.Region'] },
    { name: 'email', dataType: 'text', tags: ['PII.Email'] },
    { name: 'score', dataType: 'integer', tags: ['Metric.Score'] },
    { name: 'note', dataType: 'text', tags: [] },
  ],
};

/** The lookup table custom WHERE clauses may read: which regions each principal may see (`region` may be NULL). */
export const LOOKUP_TABLE_SQL = 'CREATE TABLE oracle.region_access (username text, region text)';

/** The SQL that creates the oracle table (constant text). */
export const ORACLE_TABLE_SQL =
  'CREATE TABLE oracle.facts (id integer PRIMARY KEY, region text, email text, score integer, note text)';

const GROUPS = ['A', 'B', 'C'] as const;
const REGIONS = ['EU', 'US', 'APAC'] as const;
const LEVELS = ['1', '2'] as const;
const PURPOSES = ['Fraud', 'Audit'] as const;

/** One person of a run: the facts the entitlement tables hold for them. */
export interface OraclePerson {
  readonly groups: readonly string[];
  readonly regions: readonly string[];
  readonly levels: readonly string[];
  readonly purposes: readonly string[];
  readonly subscribed: boolean;
}

/** A row of the oracle table. */
export interface OracleRow {
  readonly id: number;
  readonly region: string | null;
  readonly email: string | null;
  readonly score: number | null;
  readonly note: string | null;
}

const subset = <T>(items: readonly T[]) => fc.subarray([...items]);

/** Random people: groups, Region and Level values, purposes, explicit subscription. */
export const personArb: fc.Arbitrary<OraclePerson> = fc.record({
  groups: subset(GROUPS),
  regions: subset(REGIONS),
  levels: subset(LEVELS),
  purposes: subset(PURPOSES),
  subscribed: fc.boolean(),
});

const rowArb = (id: number): fc.Arbitrary<OracleRow> =>
  fc.record({
    id: fc.constant(id),
    region: fc.option(fc.constantFrom(...REGIONS, 'LATAM'), { freq: 6 }),
    email: fc.option(
      fc.constantFrom('ana@example.com', 'bo@example.org', 'cy@mail.test', 'dee@example.com'),
      {
        freq: 6,
      },
    ),
    score: fc.option(fc.integer({ min: -50, max: 120 }), { freq: 6 }),
    note: fc.option(fc.constantFrom('vip', 'late payer', 'ok', ''), { freq: 3 }),
  });

/** Random rows (ids 1..n). */
export const rowsArb: fc.Arbitrary<OracleRow[]> = fc
  .integer({ min: 0, max: 14 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => rowArb(i + 1))));

const leafCondition: fc.Arbitrary<Condition> = fc.oneof(
  fc.constantFrom(...GROUPS).map(inGroup),
  fc.constantFrom(...REGIONS).map((r) => hasAttribute('Region', r)),
  fc.constantFrom(...LEVELS).map((l) => hasAttribute('Level', l)),
  fc.constant(hasAttributeKey('Level')),
  fc.constantFrom(...PURPOSES).map(usingPurpose),
);

/** Random subject conditions of depth up to 2. */
export const conditionArb: fc.Arbitrary<Condition> = fc.oneof(
  { weight: 3, arbitrary: leafCondition },
  { weight: 1, arbitrary: fc.array(leafCondition, { minLength: 2, maxLength: 3 }).map((c) => and(...c)) },
  { weight: 1, arbitrary: fc.array(leafCondition, { minLength: 2, maxLength: 3 }).map((c) => or(...c)) },
  { weight: 1, arbitrary: leafCondition.map(not) },
);

const audienceArb: fc.Arbitrary<Audience> = fc.oneof(
  fc.constant<Audience>({ kind: 'everyone' }),
  conditionArb.map((condition): Audience => ({ kind: 'except', condition })),
  conditionArb.map((condition): Audience => ({ kind: 'who', condition })),
);

const leafPredicate: fc.Arbitrary<RowExpr> = fc.oneof(
  fc
    .tuple(fc.constantFrom('=', '<>', '<', '<=', '>', '>=' as const), fc.integer({ min: -20, max: 100 }))
    .map(([op, n]) => compare(op, column('score'), literal(n))),
  fc.constantFrom(...REGIONS).map((r) => compare('=', column('region'), literal(r))),
  fc.constant(inSubjectValues(column('region'), { kind: 'attribute', key: 'Region' })),
  fc.constant(inSubjectValues(column('region'), { kind: 'attribute', key: 'Region' }, 'EU')),
  fc.constant<RowExpr>({ kind: 'isNull', value: column('note'), negated: false }),
  fc.constant<RowExpr>({
    kind: 'like',
    value: column('email'),
    pattern: literal('%@example.com'),
    caseInsensitive: false,
    negated: false,
  }),
  fc.constant<RowExpr>({
    kind: 'inList',
    value: column('region'),
    items: [literal('EU'), literal(null)],
    negated: true,
  }),
  leafCondition.map(subjectFact),
  fc.boolean().map(
    (negated): RowExpr => ({
      kind: 'inLookup',
      value: column('region'),
      schema: 'oracle',
      table: 'region_access',
      column: 'region',
      filter: compare('=', { kind: 'lookupColumn', name: 'username' }, { kind: 'username' }),
      negated,
    }),
  ),
);

/** Random row predicates of depth up to 2, with SQL NULL semantics exercised. */
export const predicateArb: fc.Arbitrary<RowExpr> = fc.oneof(
  { weight: 3, arbitrary: leafPredicate },
  {
    weight: 1,
    arbitrary: fc
      .array(leafPredicate, { minLength: 2, maxLength: 3 })
      .map((items): RowExpr => ({ kind: 'and', items })),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(leafPredicate, { minLength: 2, maxLength: 3 })
      .map((items): RowExpr => ({ kind: 'or', items })),
  },
  { weight: 1, arbitrary: leafPredicate.map((item): RowExpr => ({ kind: 'not', item })) },
);

const fieldArb: fc.Arbitrary<FieldSelector> = fc.constantFrom<FieldSelector>(
  { kind: 'columnTag', tag: 'PII' },
  { kind: 'columnTag', tag: 'PII.Email' },
  { kind: 'columnTag', tag: 'Metric' },
  { kind: 'columnName', name: 'note' },
  { kind: 'columnRegex', regex: '^(email|note)$', caseInsensitive: false },
);

const maskArb: fc.Arbitrary<MaskSpec> = fc.constantFrom<MaskSpec>(
  { kind: 'hash' },
  { kind: 'null' },
  { kind: 'constant', value: 'REDACTED' },
  { kind: 'constant', value: '0' },
  { kind: 'regex', pattern: '[aeiou]', replacement: '*', caseInsensitive: false },
  { kind: 'regex', pattern: '^(.)(.*)@', replacement: '\\1***@', caseInsensitive: false },
  { kind: 'round', bucketSize: 10 },
  { kind: 'custom', expression: { kind: 'call', fn: 'upper', args: [column('email')] } },
);

const ruleArb: fc.Arbitrary<DataRule> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({
        audience: audienceArb,
        fields: fc.array(fieldArb, { minLength: 1, maxLength: 2 }),
        mask: maskArb,
        conditional: fc.option(predicateArb, { freq: 3 }),
        otherwise: fc.option(maskArb, { freq: 3 }),
      })
      .map(
        ({ audience, fields, mask, conditional, otherwise }): DataRule => ({
          kind: 'masking',
          audience,
          fields,
          mask,
          ...(conditional ? { conditionalPredicate: conditional } : {}),
          ...(otherwise && audience.kind === 'who' ? { otherwise } : {}),
        }),
      ),
  },
  {
    weight: 2,
    arbitrary: fc.record({ audience: audienceArb, groups: fc.boolean() }).map(
      ({ audience, groups }): DataRule => ({
        kind: 'rowByEntitlement',
        audience,
        field: { kind: 'columnTag', tag: 'Location' },
        match: groups ? { kind: 'groups' } : { kind: 'attribute', key: 'Region' },
      }),
    ),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ audience: audienceArb, where: predicateArb })
      .map(({ audience, where }): DataRule => ({ kind: 'customWhere', audience, where })),
  },
  {
    weight: 1,
    arbitrary: fc.record({ audience: audienceArb, percent: fc.integer({ min: 1, max: 99 }) }).map(
      ({ audience, percent }): DataRule => ({
        kind: 'minimization',
        audience,
        percent,
        field: { kind: 'columnName', name: 'id' },
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ audience: audienceArb, purposes: fc.subarray([...PURPOSES, 'ANY'], { minLength: 1 }) })
      .map(({ audience, purposes }): DataRule => ({ kind: 'purposeRestriction', audience, purposes })),
  },
);

const subscriptionArb = fc
  .record({
    access: fc.oneof(
      fc.constant({ kind: 'anyone' as const }),
      conditionArb.map((condition) => ({ kind: 'entitlements' as const, condition })),
      fc.constant({ kind: 'manual' as const }),
      fc.constant({
        kind: 'approval' as const,
        approvals: [{ requiredPermission: 'OWNER' as const, specificApproverRequired: false }],
      }),
    ),
    guardrail: fc.boolean(),
    shareResponsibility: fc.boolean(),
  })
  .map(({ access, guardrail, shareResponsibility }) => ({
    access,
    role: guardrail && access.kind === 'entitlements' ? ('guardrail' as const) : ('grant' as const),
    shareResponsibility,
    allowDiscovery: false,
  }));

/** Random sets of 0-4 policies (subscription and data), in authoring order. */
export const policiesArb: fc.Arbitrary<Policy[]> = fc
  .array(
    fc.oneof(
      subscriptionArb.map((subscription) => ({
        type: 'subscription' as const,
        subscription,
        rules: [] as DataRule[],
      })),
      fc.array(ruleArb, { minLength: 1, maxLength: 2 }).map((rules) => ({ type: 'data' as const, rules })),
    ),
    { maxLength: 4 },
  )
  .map((drafts) =>
    drafts.map(
      (d, i): Policy => ({
        id: i + 1,
        policyKey: `p${i + 1}`,
        name: `Policy ${i + 1}`,
        type: d.type,
        scope: 'global',
        staged: false,
        circumstances: [],
        circumstanceOperator: 'any',
        ...('subscription' in d ? { subscription: d.subscription } : {}),
        rules: d.rules,
      }),
    ),
  );
