import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isAppError } from '../../src/errors/index.ts';
import { and, hasAttribute, inGroup, usingPurpose } from '../../src/policy/condition.ts';
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
} from '../../src/policy/row-expr.ts';
import {
  columnsOf,
  lookupTables,
  parseValueExpression,
  parseWhereClause,
  resolveColumns,
} from '../../src/policy/where/index.ts';

const FIELD = 'rules[0].config.where';
const username: RowExpr = { kind: 'username' };
const ref = (name: string): RowExpr => ({ kind: 'columnReference', name });
const tagged = (tag: string): RowExpr => ({ kind: 'columnTagged', tag });
const lookupCol = (name: string): RowExpr => ({ kind: 'lookupColumn', name });

/** Golden cases: custom WHERE clause text and the row expression it must parse to. */
const ACCEPTED: readonly { readonly text: string; readonly expected: RowExpr }[] = [
  {
    text: "@attributeValuesContains('sales_region', @columnReference('Territory'))",
    expected: inSubjectValues(ref('Territory'), { kind: 'attribute', key: 'sales_region' }),
  },
  {
    text: "@attributeValuesContains('Region', @columnTagged('Location.Country'), 'NONE')",
    expected: inSubjectValues(tagged('Location.Country'), { kind: 'attribute', key: 'Region' }, 'NONE'),
  },
  {
    text: "@ATTRIBUTEVALUESCONTAINS('Region', region)",
    expected: inSubjectValues(column('region'), { kind: 'attribute', key: 'Region' }),
  },
  {
    text: '@groupsContains(department)',
    expected: inSubjectValues(column('department'), { kind: 'groups' }),
  },
  {
    text: "@groupsContains(department, 'Everyone')",
    expected: inSubjectValues(column('department'), { kind: 'groups' }, 'Everyone'),
  },
  { text: '@purposesContains(purpose)', expected: inSubjectValues(column('purpose'), { kind: 'purposes' }) },
  {
    text: "@hasAttribute('Clearance', 'Top Secret')",
    expected: subjectFact(hasAttribute('Clearance', 'Top Secret')),
  },
  { text: "@hasAttribute('Note', 'it''s')", expected: subjectFact(hasAttribute('Note', "it's")) },
  { text: "@isInGroups('Finance')", expected: subjectFact(inGroup('Finance')) },
  {
    text: "@isInGroups('Engineers', 'Founders')",
    expected: subjectFact(and(inGroup('Engineers'), inGroup('Founders'))),
  },
  { text: "@isUsingPurpose('Fraud Analysis')", expected: subjectFact(usingPurpose('Fraud Analysis')) },
  { text: 'owner = @username', expected: compare('=', column('owner'), username) },
  { text: 'owner = @username()', expected: compare('=', column('owner'), username) },
  { text: '"Owner" = @USERNAME', expected: compare('=', column('Owner'), username) },
  {
    text: "@columnTagged('PII.Email') <> '' AND NOT @isInGroups('Privacy')",
    expected: andRows(
      compare('<>', tagged('PII.Email'), literal('')),
      notRow(subjectFact(inGroup('Privacy'))),
    ),
  },
  {
    text: "region IN (SELECT r.code FROM ref.regions r WHERE r.manager = @username OR @hasAttribute('Role', 'Admin'))",
    expected: {
      kind: 'inLookup',
      value: column('region'),
      schema: 'ref',
      table: 'regions',
      column: 'code',
      filter: orRows(
        compare('=', lookupCol('manager'), username),
        subjectFact(hasAttribute('Role', 'Admin')),
      ),
      negated: false,
    },
  },
  {
    text: 'region NOT IN (SELECT code FROM ref.blocked)',
    expected: {
      kind: 'inLookup',
      value: column('region'),
      schema: 'ref',
      table: 'blocked',
      column: 'code',
      negated: true,
    },
  },
  {
    text: "@columnReference('Region') = ANY (SELECT regions.code FROM ref.regions WHERE @attributeValuesContains('Office', regions.office))",
    expected: {
      kind: 'inLookup',
      value: ref('Region'),
      schema: 'ref',
      table: 'regions',
      column: 'code',
      filter: inSubjectValues(lookupCol('office'), { kind: 'attribute', key: 'Office' }),
      negated: false,
    },
  },
  {
    text: 'amount BETWEEN 10 AND 20.5',
    expected: andRows(
      compare('>=', column('amount'), literal(10)),
      compare('<=', column('amount'), literal(20.5)),
    ),
  },
  {
    text: 'amount NOT BETWEEN -1 AND 1',
    expected: orRows(compare('<', column('amount'), literal(-1)), compare('>', column('amount'), literal(1))),
  },
  {
    text: "email LIKE '%@example.com'",
    expected: {
      kind: 'like',
      value: column('email'),
      pattern: literal('%@example.com'),
      caseInsensitive: false,
      negated: false,
    },
  },
  {
    text: "email NOT ILIKE 'admin%'",
    expected: {
      kind: 'like',
      value: column('email'),
      pattern: literal('admin%'),
      caseInsensitive: true,
      negated: true,
    },
  },
  {
    text: "email !~~* 'x'",
    expected: {
      kind: 'like',
      value: column('email'),
      pattern: literal('x'),
      caseInsensitive: true,
      negated: true,
    },
  },
  {
    text: "country IN ('US', 'CA') AND state NOT IN ('TX')",
    expected: andRows(
      { kind: 'inList', value: column('country'), items: [literal('US'), literal('CA')], negated: false },
      { kind: 'inList', value: column('state'), items: [literal('TX')], negated: true },
    ),
  },
  {
    text: 'deleted_at IS NULL OR deleted_at IS NOT NULL',
    expected: orRows(
      { kind: 'isNull', value: column('deleted_at'), negated: false },
      { kind: 'isNull', value: column('deleted_at'), negated: true },
    ),
  },
  {
    text: "age::int >= 18 AND CAST(code AS varchar) = '7' AND created > date '2024-01-01'",
    expected: andRows(
      compare('>=', { kind: 'cast', value: column('age'), type: 'integer' }, literal(18)),
      compare('=', { kind: 'cast', value: column('code'), type: 'text' }, literal('7')),
      compare('>', column('created'), { kind: 'cast', value: literal('2024-01-01'), type: 'date' }),
    ),
  },
  {
    text: "big::bigint < 3000000000 AND ratio::numeric <> '0.1'::decimal AND flag::boolean AND ts::timestamp IS NULL",
    expected: andRows(
      compare('<', { kind: 'cast', value: column('big'), type: 'bigint' }, literal(3000000000)),
      compare(
        '<>',
        { kind: 'cast', value: column('ratio'), type: 'numeric' },
        { kind: 'cast', value: literal('0.1'), type: 'numeric' },
      ),
      { kind: 'cast', value: column('flag'), type: 'boolean' },
      { kind: 'isNull', value: { kind: 'cast', value: column('ts'), type: 'timestamp' }, negated: false },
    ),
  },
  {
    text: "coalesce(region, 'none') = lower(@username) AND nullif(code, '') IS NOT NULL",
    expected: andRows(
      compare(
        '=',
        { kind: 'call', fn: 'coalesce', args: [column('region'), literal('none')] },
        { kind: 'call', fn: 'lower', args: [username] },
      ),
      {
        kind: 'isNull',
        value: { kind: 'call', fn: 'nullif', args: [column('code'), literal('')] },
        negated: true,
      },
    ),
  },
  {
    text: "upper(trim(name)) = 'A' AND length(name) > 1 AND substr(name, 1, 2) = left(name, 2) AND right(name, 1) <> 'z'",
    expected: andRows(
      compare(
        '=',
        { kind: 'call', fn: 'upper', args: [{ kind: 'call', fn: 'trim', args: [column('name')] }] },
        literal('A'),
      ),
      compare('>', { kind: 'call', fn: 'length', args: [column('name')] }, literal(1)),
      compare(
        '=',
        { kind: 'call', fn: 'substr', args: [column('name'), literal(1), literal(2)] },
        { kind: 'call', fn: 'left', args: [column('name'), literal(2)] },
      ),
      compare('<>', { kind: 'call', fn: 'right', args: [column('name'), literal(1)] }, literal('z')),
    ),
  },
  {
    text: 'abs(balance - 10) % 3 != 0',
    expected: compare(
      '<>',
      {
        kind: 'arith',
        op: '%',
        left: {
          kind: 'call',
          fn: 'abs',
          args: [{ kind: 'arith', op: '-', left: column('balance'), right: literal(10) }],
        },
        right: literal(3),
      },
      literal(0),
    ),
  },
  {
    text: "first || ' ' || last = @username",
    expected: compare(
      '=',
      { kind: 'concat', items: [column('first'), literal(' '), column('last')] },
      username,
    ),
  },
  {
    text: "@columnReference('Score') * 2 + 1 > 5",
    expected: compare(
      '>',
      {
        kind: 'arith',
        op: '+',
        left: { kind: 'arith', op: '*', left: ref('Score'), right: literal(2) },
        right: literal(1),
      },
      literal(5),
    ),
  },
  {
    text: "@username::text = 'alice'",
    expected: compare('=', { kind: 'cast', value: username, type: 'text' }, literal('alice')),
  },
  {
    text: 'x = - y AND z = 1.5e3 AND w = 0.1 AND v = 0x10 AND u = 1_000',
    expected: andRows(
      compare('=', column('x'), { kind: 'arith', op: '-', left: literal(0), right: column('y') }),
      compare('=', column('z'), literal(1500)),
      compare('=', column('w'), literal(0.1)),
      compare('=', column('v'), literal(16)),
      compare('=', column('u'), literal(1000)),
    ),
  },
  { text: 'TRUE', expected: literal(true) },
  { text: 'false OR NULL', expected: orRows(literal(false), literal(null)) },
  { text: 'is_public', expected: column('is_public') },
];

/** Clause text that must be rejected, with a fragment the message must quote. */
const REJECTED: readonly { readonly text: string; readonly fragment: string }[] = [
  { text: 'pg_sleep(10) IS NULL', fragment: 'pg_sleep(10)' },
  {
    text: "id = 1 OR set_config('role', 'admin', false) = 'admin'",
    fragment: "set_config('role', 'admin', false)",
  },
  { text: "current_setting('app.user') = owner", fragment: "current_setting('app.user')" },
  { text: "dblink('x', 'y') IS NULL", fragment: "dblink('x', 'y')" },
  { text: 'owner = current_user', fragment: 'current_user' },
  { text: 'owner = session_user', fragment: 'session_user' },
  { text: 'created < current_date', fragment: 'current_date' },
  { text: 'SELECT * FROM t', fragment: 'SELECT' },
  { text: 'x IN (SELECT * FROM s.t)', fragment: '*' },
  { text: 'x IN (SELECT code FROM regions)', fragment: 'regions' },
  { text: 'x IN (SELECT code FROM db.ref.regions)', fragment: 'db.ref.regions' },
  {
    text: 'x IN (SELECT a.code FROM ref.a a JOIN ref.b b ON a.id = b.id)',
    fragment: 'ref.a a JOIN ref.b b ON a.id = b.id',
  },
  { text: 'x IN (SELECT max(code) FROM ref.regions)', fragment: 'max(code)' },
  { text: 'x IN (SELECT code FROM ref.regions LIMIT 1)', fragment: 'LIMIT 1' },
  {
    text: 'x IN (SELECT code FROM ref.regions WHERE y IN (SELECT c FROM ref.z))',
    fragment: 'y IN (SELECT c FROM ref.z)',
  },
  {
    text: "x IN (SELECT code FROM ref.r WHERE owner = @columnReference('Owner'))",
    fragment: "@columnReference('Owner')",
  },
  { text: 'x = (SELECT code FROM ref.regions)', fragment: '(SELECT code FROM ref.regions)' },
  { text: '1; DROP TABLE x', fragment: '; DROP TABLE x' },
  { text: 'true;', fragment: ';' },
  { text: 'x = 1 -- ; DROP TABLE x', fragment: '-- ; DROP TABLE x' },
  { text: 'x = 1 /* ; DROP TABLE x */', fragment: '/* ; DROP TABLE x */' },
  { text: 'x = 1 /* */; DROP TABLE x', fragment: '/* */' },
  { text: 'x = 1 --\n; DROP TABLE x', fragment: '--' },
  { text: 'EXISTS (SELECT 1 FROM ref.t)', fragment: 'EXISTS (SELECT 1 FROM ref.t)' },
  { text: '@unknownFn()', fragment: '@unknownFn()' },
  { text: '@iam = owner', fragment: '@iam' },
  { text: "@isInGroups(lower('a'))", fragment: "lower('a')" },
  { text: "@hasAttribute('Clearance', clearance)", fragment: 'clearance' },
  { text: "@hasAttribute('', 'x')", fragment: "''" },
  { text: "@attributeValuesContains('A')", fragment: "@attributeValuesContains('A')" },
  { text: "@columnTagged('A', 'B') = 1", fragment: "@columnTagged('A', 'B')" },
  { text: 'x=@username', fragment: 'x=@username' },
  { text: "attributeValuesContains('A', x)", fragment: "attributeValuesContains('A', x)" },
  { text: 'count(*) > 1', fragment: 'count(*)' },
  { text: 'lower(x) OVER () = 1', fragment: 'lower(x) OVER ()' },
  { text: 'coalesce(x) = 1', fragment: 'coalesce(x)' },
  { text: 'upper(x, 2) = 1', fragment: 'upper(x, 2)' },
  { text: "trim(leading from x) = 'a'", fragment: 'trim(leading from x)' },
  { text: "x::varchar(3) = 'abc'", fragment: 'x::varchar(3)' },
  { text: "x::interval > '1 day'", fragment: 'x::interval' },
  { text: "CAST(x AS timestamptz) > '2024-01-01'", fragment: 'CAST(x AS timestamptz)' },
  { text: '$1 = owner', fragment: '$1' },
  { text: 'ROW(a, b) = ROW(1, 2)', fragment: 'ROW(a, b)' },
  { text: 'tags[1] = 1', fragment: 'tags[1]' },
  { text: 'x COLLATE "C" = \'a\'', fragment: 'x COLLATE "C"' },
  { text: 'CASE WHEN x THEN true END', fragment: 'CASE WHEN x THEN true END' },
  { text: 'x IS DISTINCT FROM y', fragment: 'x IS DISTINCT FROM y' },
  { text: 'x IS TRUE', fragment: 'x IS TRUE' },
  { text: "x SIMILAR TO 'a'", fragment: "x SIMILAR TO 'a'" },
  { text: "x LIKE 'a!%' ESCAPE '!'", fragment: "x LIKE 'a!%' ESCAPE '!'" },
  { text: 'x ^ 2 > 1', fragment: 'x ^ 2' },
  { text: 't.x = 1', fragment: 't.x' },
  { text: 'x = 12345678901234567890', fragment: '12345678901234567890' },
  { text: 'x = 1e400', fragment: '1e400' },
  { text: "x = B'101'", fragment: "B'101'" },
  { text: 'x + 1', fragment: 'x + 1' },
  { text: "'yes'", fragment: "'yes'" },
  { text: '(x = 1) + 1 > 0', fragment: 'x = 1' },
  { text: 'x = 1 ORDER BY 1', fragment: 'ORDER BY 1' },
  { text: 'x = 1 GROUP BY x', fragment: 'GROUP BY x' },
  { text: 'x = 1 LIMIT 1', fragment: 'LIMIT 1' },
  { text: 'x = 1 UNION SELECT 1', fragment: 'UNION SELECT 1' },
  { text: 'x = 1 FOR UPDATE', fragment: 'FOR UPDATE' },
  { text: 'x = 1) OR (1 = 1', fragment: ')' },
];

/** Asserts the error is the 400 POLICY_WHERE_INVALID error on FIELD and that both messages quote `fragment`. */
async function assertRejects(promise: Promise<unknown>, fragment: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isAppError(error), `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, 'POLICY_WHERE_INVALID');
    assert.equal(error.statusCode, 400);
    assert.equal(error.errors.length, 1);
    const [fieldError] = error.errors;
    assert.equal(fieldError?.field, FIELD);
    assert.equal(fieldError?.pointer, '#/rules/0/config/where');
    assert.equal(fieldError?.in, 'body');
    assert.ok(fieldError?.detail.includes(fragment), `"${fieldError?.detail}" should quote ${fragment}`);
    assert.ok(error.detail.includes(fragment), `"${error.detail}" should quote ${fragment}`);
    return true;
  });
}

describe('custom WHERE clause parsing', () => {
  for (const { text, expected } of ACCEPTED) {
    it(`parses ${text}`, async () => {
      assert.deepEqual(await parseWhereClause(text, FIELD), expected);
    });
  }

  for (const { text, fragment } of REJECTED) {
    it(`rejects ${JSON.stringify(text)}, quoting ${fragment}`, async () => {
      await assertRejects(parseWhereClause(text, FIELD), fragment);
    });
  }

  it('quotes the offending fragment by characters, not bytes, after non-ASCII text', async () => {
    await assertRejects(parseWhereClause("name = 'Zoë' AND pg_sleep(1) IS NULL", FIELD), 'pg_sleep(1)');
  });

  it('reports a syntax error with the token PostgreSQL stopped at', async () => {
    await assertRejects(parseWhereClause('x = = 1', FIELD), '"="');
  });

  it('rejects empty, oversized and NUL-carrying text without parsing it', async () => {
    await assertRejects(parseWhereClause('  \n ', FIELD), 'is empty');
    await assertRejects(parseWhereClause(`x IN (${'1,'.repeat(10_000)}1)`, FIELD), 'longer than');
    await assertRejects(parseWhereClause('x = 1\u0000; DROP TABLE x', FIELD), 'NUL');
  });

  it('rejects text nested deeper than the translator allows', async () => {
    await assertRejects(parseWhereClause(`${'NOT '.repeat(300)}true`, FIELD), 'nested too deeply');
    await assertRejects(
      parseWhereClause(`${Array(4000).fill('1').join('+')} = 1`, FIELD),
      'nested too deeply',
    );
  });

  it('puts the field error on the field it is given', async () => {
    await assert.rejects(parseWhereClause('pg_sleep(1)', 'where'), (error: unknown) => {
      assert.ok(isAppError(error));
      assert.deepEqual(error.errors[0]?.pointer, '#/where');
      return true;
    });
  });
});

describe('custom masking expression parsing', () => {
  it('parses a scalar expression over a referenced column', async () => {
    assert.deepEqual(await parseValueExpression("left(@columnReference('SSN'), 3) || '-**-****'", FIELD), {
      kind: 'concat',
      items: [{ kind: 'call', fn: 'left', args: [ref('SSN'), literal(3)] }, literal('-**-****')],
    });
  });

  it('parses a rounded number and a condition-valued expression', async () => {
    assert.deepEqual(await parseValueExpression('abs(salary) / 1000 * 1000', FIELD), {
      kind: 'arith',
      op: '*',
      left: {
        kind: 'arith',
        op: '/',
        left: { kind: 'call', fn: 'abs', args: [column('salary')] },
        right: literal(1000),
      },
      right: literal(1000),
    });
    assert.deepEqual(
      await parseValueExpression('@groupsContains(team)', FIELD),
      inSubjectValues(column('team'), { kind: 'groups' }),
    );
  });

  for (const [text, fragment] of [
    ['x AS y', 'AS y'],
    ['x, y', ', y'],
    ['x FROM t', 'FROM t'],
    ['DISTINCT x', 'DISTINCT x'],
    ['x y', 'x y'],
    ['*', '*'],
    ['md5(x)', 'md5(x)'],
    ['1; SELECT 2', '; SELECT 2'],
    ['x -- hidden', '-- hidden'],
  ] as const) {
    it(`rejects ${JSON.stringify(text)} as a masking expression`, async () => {
      await assertRejects(parseValueExpression(text, FIELD), fragment);
    });
  }
});

describe('lookups and column resolution', () => {
  const table = {
    columns: [
      { name: 'id', tags: [] },
      { name: 'Territory', tags: ['Location'] },
      { name: 'email', tags: ['PII.Email.Work'] },
      { name: 'phone', tags: ['PII.Phone'] },
    ],
  };

  it('lists the distinct lookup tables and the bare columns a clause reads', async () => {
    const expr = await parseWhereClause(
      "id IN (SELECT id FROM ref.a WHERE owner = @username) AND email IN (SELECT e FROM ref.b) OR id NOT IN (SELECT id FROM ref.a) AND lower(email) <> '' AND @columnReference('phone') IS NULL",
      FIELD,
    );
    assert.deepEqual(lookupTables(expr), [
      { schema: 'ref', table: 'a' },
      { schema: 'ref', table: 'b' },
    ]);
    assert.deepEqual(columnsOf(expr), ['id', 'email']);
  });

  it('resolves a tagged column to the first column carrying the tag or a descendant', async () => {
    const expr = await parseWhereClause(
      "@columnTagged('PII') = @username AND @columnReference('Territory') = 'US'",
      FIELD,
    );
    assert.deepEqual(resolveColumns(expr, table), {
      ok: true,
      expr: andRows(
        compare('=', column('email'), username),
        compare('=', column('Territory'), literal('US')),
      ),
    });
  });

  it('resolves references inside Steward functions and lookups, leaving lookup columns alone', async () => {
    const expr = await parseWhereClause(
      "@attributeValuesContains('Region', @columnTagged('Location')) AND @columnReference('id') IN (SELECT id FROM ref.ok WHERE owner = @username)",
      FIELD,
    );
    assert.deepEqual(resolveColumns(expr, table), {
      ok: true,
      expr: andRows(inSubjectValues(column('Territory'), { kind: 'attribute', key: 'Region' }), {
        kind: 'inLookup',
        value: column('id'),
        schema: 'ref',
        table: 'ok',
        column: 'id',
        filter: compare('=', lookupCol('owner'), username),
        negated: false,
      }),
    });
  });

  it('fails when no column carries the tag, so a global policy skips the data source', async () => {
    const expr = await parseWhereClause("@columnTagged('Finance') > 0", FIELD);
    assert.deepEqual(resolveColumns(expr, table), { ok: false, reason: 'no column is tagged Finance' });
    assert.deepEqual(resolveColumns(await parseWhereClause("@columnTagged('PII.E') > 0", FIELD), table), {
      ok: false,
      reason: 'no column is tagged PII.E',
    });
  });

  it('fails when a referenced or bare column does not exist, matching names exactly', async () => {
    assert.deepEqual(
      resolveColumns(await parseWhereClause("@columnReference('territory') = 'US'", FIELD), table),
      {
        ok: false,
        reason: 'column territory does not exist',
      },
    );
    assert.deepEqual(resolveColumns(await parseWhereClause("Territory = 'US'", FIELD), table), {
      ok: false,
      reason: 'column territory does not exist',
    });
    assert.deepEqual(
      resolveColumns(await parseWhereClause('"Territory" = \'US\' AND id > 0', FIELD), table),
      {
        ok: true,
        expr: andRows(
          compare('=', column('Territory'), literal('US')),
          compare('>', column('id'), literal(0)),
        ),
      },
    );
  });
});

describe('parser robustness', () => {
  const WORDS = [
    'x',
    'y',
    '1',
    '2.5',
    "'a'",
    '(',
    ')',
    ',',
    '@',
    '@username',
    '@groupsContains',
    '@isInGroups',
    "'g'",
    '@columnTagged',
    'AND',
    'OR',
    'NOT',
    'IN',
    'IS',
    'NULL',
    'SELECT',
    'FROM',
    'WHERE',
    's.t',
    'c',
    '=',
    '<>',
    '+',
    '*',
    '||',
    '::',
    'int',
    'text',
    'CAST',
    'AS',
    'BETWEEN',
    'LIKE',
    'lower',
    'coalesce',
    'pg_sleep',
    ';',
    '--',
    '/*',
    '*/',
    '$1',
    '[',
    ']',
    'EXISTS',
    'CASE',
    'END',
    '.',
    '"',
    "'",
    'é',
    '\n',
  ];
  const sqlish = fc.array(fc.constantFrom(...WORDS), { maxLength: 25 }).map((w) => w.join(' '));
  const anyText = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    sqlish,
  );

  it('only ever returns an expression or throws POLICY_WHERE_INVALID, for any text', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, fc.boolean(), async (text, asClause) => {
        try {
          await (asClause ? parseWhereClause(text, FIELD) : parseValueExpression(text, FIELD));
        } catch (error) {
          assert.ok(isAppError(error), `non-AppError for ${JSON.stringify(text)}: ${String(error)}`);
          assert.equal(error.code, 'POLICY_WHERE_INVALID');
          assert.equal(error.errors[0]?.field, FIELD);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
