import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AppError } from '../../../src/errors/index.ts';
import { compilePostgres } from '../../../src/platforms/postgres/compile.ts';
import {
  conditionSql,
  type ExprContext,
  maskSql,
  rowExprSql,
} from '../../../src/platforms/postgres/compile-expr.ts';
import { createPolicy, createView } from '../../../src/platforms/postgres/ddl.ts';
import {
  ALWAYS,
  and,
  type Condition,
  hasAttribute,
  hasAttributeKey,
  inGroup,
  NEVER,
  not,
  or,
  SUBSCRIBED,
  usingPurpose,
} from '../../../src/policy/condition.ts';
import type { Mask, TypeFamily } from '../../../src/policy/mask.ts';
import {
  andRows,
  column,
  compare,
  inSubjectValues,
  literal,
  notRow,
  orRows,
  type RowExpr,
  subjectFact,
} from '../../../src/policy/row-expr.ts';
import { filterOf, maskOf, planOf } from './plans.ts';

const FIXTURES = new URL('../../fixtures/postgres/', import.meta.url);

const ctx: ExprContext = {
  stewardSchema: 's',
  dataSourceId: '42',
  table: 'customers',
  families: new Map<string, TypeFamily>([
    ['id', 'integer'],
    ['email', 'text'],
    ['region', 'text'],
    ['salary', 'integer'],
    ['signed_up', 'timestamp'],
  ]),
};

const CONDITIONS: ReadonlyArray<readonly [string, Condition, string]> = [
  ['always', ALWAYS, 'TRUE'],
  ['never', NEVER, 'FALSE'],
  ['group membership, quoted', inGroup("O'Neil"), `(SELECT "s"."in_group"('O''Neil'))`],
  ['attribute value', hasAttribute('Region', 'EU'), `(SELECT "s"."has_attribute"('Region', 'EU'))`],
  [
    'any value of an attribute',
    hasAttributeKey('Region'),
    `(SELECT cardinality("s"."attribute_values"('Region')) > 0)`,
  ],
  ['purpose', usingPurpose('Fraud'), `(SELECT "s"."using_purpose"('Fraud'))`],
  ['subscription to this data source', SUBSCRIBED, `(SELECT "s"."is_subscribed"('42'))`],
  [
    'and, or, not',
    and(inGroup('A'), or(inGroup('B'), not(usingPurpose('P')))),
    `((SELECT "s"."in_group"('A')) AND ((SELECT "s"."in_group"('B')) OR (NOT (SELECT "s"."using_purpose"('P')))))`,
  ],
];

const c = column;
const EXPRESSIONS: ReadonlyArray<readonly [string, RowExpr, string]> = [
  ['a column, quoted', c('Region "x"'), `"Region ""x"""`],
  ['a string literal, untyped', literal("it's"), `'it''s'`],
  ['a string with a backslash', literal('a\\b'), ` E'a\\\\b'`],
  ['an integer', literal(42), '42'],
  ['a negative decimal', literal(-1.5), '(-1.5)'],
  ['booleans and null', andRows(literal(true), literal(null)), '(TRUE AND NULL)'],
  ['the user name', { kind: 'username' }, '(SELECT current_user::text)'],
  ['a subject fact', subjectFact(inGroup('HR')), `(SELECT "s"."in_group"('HR'))`],
  [
    'attribute values against a text column, without a cast',
    inSubjectValues(c('region'), { kind: 'attribute', key: 'Region' }),
    `("region" = ANY ((SELECT "s"."attribute_values"('Region'))::text[]))`,
  ],
  [
    'groups against an integer column, cast to text',
    inSubjectValues(c('id'), { kind: 'groups' }),
    `(("id")::text = ANY ((SELECT "s"."current_groups"())::text[]))`,
  ],
  [
    'purposes with a placeholder for a subject holding none',
    inSubjectValues(c('region'), { kind: 'purposes' }, 'none'),
    `("region" = ANY (COALESCE(NULLIF((SELECT "s"."current_purposes"()), '{}'::text[]), ARRAY['none'])))`,
  ],
  ['a comparison', compare('>=', c('salary'), literal(1000)), '("salary" >= 1000)'],
  [
    'a negated list',
    { kind: 'inList', value: c('region'), items: [literal('EU'), literal('US')], negated: true },
    `("region" NOT IN ('EU', 'US'))`,
  ],
  ['an empty list', { kind: 'inList', value: c('region'), items: [], negated: false }, 'FALSE'],
  ['IS NULL', { kind: 'isNull', value: c('email'), negated: false }, '("email" IS NULL)'],
  [
    'case-insensitive LIKE',
    { kind: 'like', value: c('email'), pattern: literal('%@x'), caseInsensitive: true, negated: false },
    `("email" ILIKE '%@x')`,
  ],
  [
    'NOT LIKE',
    { kind: 'like', value: c('email'), pattern: literal('a%'), caseInsensitive: false, negated: true },
    `("email" NOT LIKE 'a%')`,
  ],
  [
    'and, or, not of rows',
    andRows(
      compare('=', c('region'), literal('EU')),
      notRow(orRows({ kind: 'isNull', value: c('email'), negated: true }, literal(false))),
    ),
    `(("region" = 'EU') AND (NOT (("email" IS NOT NULL) OR FALSE)))`,
  ],
  ['arithmetic', { kind: 'arith', op: '%', left: c('salary'), right: literal(7) }, '("salary" % 7)'],
  [
    'concatenation',
    { kind: 'concat', items: [c('region'), literal('-'), c('email')] },
    `("region" || '-' || "email")`,
  ],
  ['an allowlisted function', { kind: 'call', fn: 'lower', args: [c('email')] }, 'lower("email")'],
  [
    'a cast to timestamp',
    { kind: 'cast', value: c('signed_up'), type: 'timestamp' },
    'CAST("signed_up" AS timestamp)',
  ],
  [
    'a lookup table with a filter',
    {
      kind: 'inLookup',
      value: c('region'),
      schema: 'ref',
      table: 'allowed',
      column: 'region',
      filter: compare('=', { kind: 'lookupColumn', name: 'owner' }, { kind: 'username' }),
      negated: false,
    },
    `("region" IN (SELECT "steward_lookup"."region" FROM "ref"."allowed" AS "steward_lookup" WHERE ("steward_lookup"."owner" = (SELECT current_user::text))))`,
  ],
  [
    'a lookup filter naming a protected column, qualified so the lookup table cannot capture it',
    {
      kind: 'inLookup',
      value: c('id'),
      schema: 'ref',
      table: 'customers',
      column: 'id',
      filter: compare('=', { kind: 'lookupColumn', name: 'region' }, c('region')),
      negated: true,
    },
    `("id" NOT IN (SELECT "steward_lookup"."id" FROM "ref"."customers" AS "steward_lookup" WHERE ("steward_lookup"."region" = "customers"."region")))`,
  ],
  [
    'a stable sample',
    { kind: 'sample', percent: 12.5, key: c('id') },
    `(((('x' || substr(md5(COALESCE(("id")::text, '')), 1, 8))::bit(32)::int & 2147483647) % 10000) < 1250)`,
  ],
  [
    'a time window of recent rows',
    { kind: 'timeWindow', column: c('signed_up'), direction: 'newer', amount: 30, unit: 'day' },
    `("signed_up" >= now() - 30 * interval '1 day')`,
  ],
  [
    'a time window of old rows, in quarters',
    { kind: 'timeWindow', column: c('signed_up'), direction: 'older', amount: 2, unit: 'quarter' },
    `("signed_up" < now() - 2 * interval '3 months')`,
  ],
];

const MASKS: ReadonlyArray<readonly [string, Mask, TypeFamily, string]> = [
  [
    'hash with the salt read once per query',
    { kind: 'hash' },
    'text',
    `encode(sha256(convert_to((SELECT "salt" FROM "s"."mask_salts" WHERE "data_source_id" = '42') || ("c")::text, 'UTF8')), 'hex')`,
  ],
  ['null', { kind: 'null' }, 'integer', 'NULL'],
  ['constant', { kind: 'constant', value: 'REDACTED' }, 'text', `'REDACTED'`],
  [
    'regex',
    { kind: 'regex', pattern: '\\d', replacement: '#', caseInsensitive: false },
    'text',
    `regexp_replace("c",  E'\\\\d', '#', 'g')`,
  ],
  [
    'case-insensitive regex',
    { kind: 'regex', pattern: '[a-z]', replacement: 'x', caseInsensitive: true },
    'text',
    `regexp_replace("c", '[a-z]', 'x', 'gi')`,
  ],
  [
    'integer rounding in integer arithmetic',
    { kind: 'roundNumber', bucket: 1000 },
    'integer',
    '("c" - ((("c" % 1000) + 1000) % 1000))',
  ],
  [
    'integer rounding to a fraction',
    { kind: 'roundNumber', bucket: 0.5 },
    'integer',
    '(floor("c" / 0.5) * 0.5)',
  ],
  ['numeric rounding', { kind: 'roundNumber', bucket: 100 }, 'numeric', '(floor("c" / 100) * 100)'],
  [
    'date truncation, back to a date',
    { kind: 'truncateTime', unit: 'year' },
    'date',
    `CAST(date_trunc('year', "c") AS date)`,
  ],
  ['timestamp truncation', { kind: 'truncateTime', unit: 'month' }, 'timestamp', `date_trunc('month', "c")`],
  [
    'a custom expression',
    {
      kind: 'custom',
      expression: {
        kind: 'concat',
        items: [{ kind: 'call', fn: 'left', args: [c('email'), literal(2)] }, literal('***')],
      },
    },
    'text',
    `(left("email", 2) || '***')`,
  ],
];

describe('PostgreSQL compiler (golden SQL)', () => {
  for (const [name, condition, sql] of CONDITIONS) {
    it(`compiles the condition "${name}" to uncorrelated sub-SELECTs`, () => {
      assert.equal(conditionSql(condition, ctx), sql);
    });
  }
  for (const [name, expr, sql] of EXPRESSIONS) {
    it(`compiles ${name}`, () => {
      assert.equal(rowExprSql(expr, ctx), sql);
    });
  }
  for (const [name, mask, family, sql] of MASKS) {
    it(`compiles the ${name} mask`, () => {
      assert.equal(maskSql(mask, '"c"', family, ctx), sql);
    });
  }

  it('refuses unresolved column references, non-finite numbers and hashes of non-text columns', () => {
    assert.throws(() => rowExprSql({ kind: 'columnTagged', tag: 'PII' }, ctx), AppError);
    assert.throws(() => rowExprSql({ kind: 'columnReference', name: 'email' }, ctx), AppError);
    assert.throws(() => rowExprSql(literal(Number.POSITIVE_INFINITY), ctx), AppError);
    assert.throws(() => rowExprSql({ kind: 'lookupColumn', name: 'x' }, ctx), AppError);
    assert.throws(() => maskSql({ kind: 'hash' }, '"c"', 'integer', ctx), AppError);
  });

  it('compiles a plan to forced policies and a masking view, exactly as the golden file', () => {
    const plan = planOf({
      id: '7',
      schema: 'sales',
      table: 'customers',
      columns: [
        ['id', 'integer'],
        ['email', 'text'],
        ['region', 'text'],
        ['salary', 'integer'],
        ['vip', 'boolean'],
        ['note', 'text'],
      ],
      subscription: or(SUBSCRIBED, inGroup('Finance')),
      rowFilters: [
        filterOf(
          inSubjectValues(column('region'), { kind: 'attribute', key: 'Region' }),
          not(inGroup('Privacy')),
        ),
      ],
      masks: [
        maskOf('email', 'text', { kind: 'hash' }, not(inGroup('Privacy'))),
        maskOf('salary', 'integer', { kind: 'roundNumber', bucket: 1000 }, inGroup('Analysts')),
        maskOf('note', 'text', { kind: 'null' }, not(inGroup('Privacy')), {
          rowCondition: compare('=', column('vip'), literal(true)),
        }),
      ],
    });
    const desired = compilePostgres([{ plan, salt: 'feed' }], 'steward', 'steward_service_views');
    assert.deepEqual(desired.failures, []);
    assert.deepEqual(desired.mirrorSchemas, ['steward_sales']);
    const [table] = desired.tables;
    const t = { schema: 'sales', table: 'customers' };
    const sql = `${[...table!.policies.flatMap((p) => createPolicy(t, p)), ...createView(table!.view)]
      .map((s) => `${s.text};`)
      .join('\n\n')}\n`;
    const file = new URL('compile-customers.sql', FIXTURES);
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(FIXTURES, { recursive: true });
      writeFileSync(file, sql);
    }
    assert.equal(sql, readFileSync(file, 'utf8'));
    assert.match(table!.view.comment, /^steward:7:[0-9a-f]{64}$/);
  });

  it('denies governed people the whole base table when every one of them gets some mask', () => {
    const plan = planOf({
      id: '8',
      schema: 'sales',
      table: 't',
      columns: [['x', 'text']],
      masks: [
        maskOf('x', 'text', { kind: 'null' }, inGroup('A'), { otherwise: { kind: 'constant', value: '-' } }),
      ],
    });
    const [table] = compilePostgres([{ plan, salt: '' }], 'steward', 'steward_service_views').tables;
    assert.equal(table!.policies[1]!.using, 'FALSE');
    assert.match(
      table!.view.definition,
      /CASE WHEN \(SELECT "steward"\."in_group"\('A'\)\) THEN NULL WHEN FALSE THEN "x" ELSE '-' END AS "x"/,
    );
  });

  it('keeps mirror schema names within 63 bytes and distinct for long schema names', () => {
    const long = (suffix: string) => ({
      plan: planOf({
        id: suffix,
        schema: `${'ß'.repeat(30)}_${suffix}`,
        table: 't',
        columns: [['x', 'text']],
        masks: [maskOf('x', 'text', { kind: 'null' }, ALWAYS)],
      }),
      salt: '',
    });
    const desired = compilePostgres([long('a'), long('b')], 'steward', 'steward_service_views');
    assert.equal(desired.tables.length, 2);
    const [a, b] = desired.tables.map((t) => t.view.schema);
    assert.notEqual(a, b);
    for (const s of [a!, b!]) assert.ok(Buffer.byteLength(s) <= 63, s);
  });

  it('fails a target whose plan cannot compile and keeps the others', () => {
    const good = planOf({
      id: '1',
      schema: 's',
      table: 'a',
      columns: [['x', 'integer']],
      subscription: SUBSCRIBED,
    });
    const bad = planOf({
      id: '2',
      schema: 's',
      table: 'b',
      columns: [['x', 'integer']],
      masks: [maskOf('x', 'integer', { kind: 'hash' }, ALWAYS)],
    });
    const ungoverned = planOf({ id: '3', schema: 's', table: 'c', columns: [['x', 'integer']] });
    const desired = compilePostgres(
      [good, bad, ungoverned].map((plan) => ({ plan, salt: '' })),
      'steward',
      'steward_service_views',
    );
    assert.deepEqual(
      desired.tables.map((t) => t.dataSourceId),
      ['1'],
    );
    assert.deepEqual(
      desired.failures.map((f) => [f.dataSourceId, f.error]),
      [['2', 'A hash mask applies to text columns only, not integer.']],
    );
  });
});
