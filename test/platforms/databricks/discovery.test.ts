import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { BUILTIN_IDENTIFIERS } from '../../../src/discovery/builtin-identifiers.ts';
import { type Identifier, identifier } from '../../../src/discovery/identifier.ts';
import { foldCase, trimValue } from '../../../src/discovery/match.ts';
import { countHits, isCompetitive, sampleSize } from '../../../src/discovery/scoring.ts';
import { AppError } from '../../../src/errors/index.ts';
import { sampleHitsStatement } from '../../../src/platforms/databricks/discovery.ts';
import { quoteIdent, quoteQualified } from '../../../src/platforms/databricks/index.ts';
import { javaRegex } from '../../../src/platforms/databricks/java-regex.ts';
import type { SampleRequest } from '../../../src/platforms/platform.ts';
import { FakeDatabricks } from './fake-databricks.ts';
import { answerSampleStatements } from './fake-sample.ts';
import { javaFind } from './java-regex-oracle.ts';
import { connectionConfig, seedWorkspace, testPlatform } from './payloads.ts';

const FIXTURES = new URL('../../fixtures/databricks/', import.meta.url);
const COMPETING = BUILTIN_IDENTIFIERS.filter(isCompetitive);

const customers: SampleRequest = {
  database: 'main',
  schema: 'crm',
  table: 'customers',
  columns: [
    { name: 'email', dataType: 'text' },
    { name: 'country', dataType: 'text' },
    { name: 'signup_date', dataType: 'date' },
    { name: 'last_login', dataType: 'timestamp' },
    { name: 'age', dataType: 'integer' },
  ],
  identifiers: COMPETING,
  sampleSize: sampleSize(COMPETING.length),
};

/** The statement and its parameters as a reviewable file; dictionaries are named, not listed (they grow). */
function golden(request: SampleRequest): string {
  const { sql, parameters } = sampleHitsStatement(request);
  const lines = parameters.map((p) => {
    const dictionary = /^d([0-9]+)$/.exec(p.name);
    const identifier = dictionary ? request.identifiers[Number(dictionary[1])] : undefined;
    const shown = identifier
      ? `the values of ${identifier.id} as a JSON array${identifier.caseInsensitive ? ', ASCII letters lower-cased' : ''}`
      : JSON.stringify(p.value).replace(
          /[^ -~]/g,
          (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
        );
    return `-- :${p.name}${p.type ? ` ${p.type}` : ''} = ${shown}`;
  });
  return `${sql};\n\n-- parameters\n${lines.join('\n')}\n`;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

/** The identifier without its validator: what the platform counts (the caller validates). */
const regexOnly = (i: Identifier): Identifier => {
  const { validator: _, ...rest } = i;
  return rest;
};

describe('Databricks discovery statement (golden SQL, not executed: Databricks cannot run here)', () => {
  it('writes one hit-count statement for a table and the built-in pack exactly as sample-hits.sql', () => {
    const text = golden(customers);
    const url = new URL('sample-hits.sql', FIXTURES);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(url, text);
    assert.equal(text, readFileSync(url, 'utf8'));
  });

  it('tests an identifier only on columns whose type family it names', () => {
    const { reads } = sampleHitsStatement(customers);
    const on = (column: string) =>
      reads.flatMap((r) => (r.kind === 'hits' && r.column === column ? [r.identifier] : []));
    for (const column of customers.columns) {
      const expected = COMPETING.filter(
        (i) =>
          i.dataTypes.includes(column.dataType) &&
          (i.kind === 'dictionary' || javaRegex(i.pattern, i.caseInsensitive) !== undefined),
      ).map((i) => i.id);
      assert.deepEqual(on(column.name), expected, column.name);
    }
    assert.ok(on('signup_date').includes('DATE_ISO') && !on('signup_date').includes('EMAIL_ADDRESS'));
    assert.equal(reads.filter((r) => r.kind === 'nonNull').length, customers.columns.length);
  });

  it('passes each dictionary as a JSON array, case-folded on ASCII letters when case-insensitive', () => {
    const { parameters } = sampleHitsStatement(customers);
    COMPETING.forEach((i, k) => {
      if (i.kind !== 'dictionary') return;
      const sent = JSON.parse(parameters.find((p) => p.name === `d${k}`)!.value!) as string[];
      assert.deepEqual(sent, i.caseInsensitive ? i.values!.map(foldCase) : i.values, i.id);
    });
  });

  it('counts validator identifiers by their pattern alone', () => {
    const { reads, parameters } = sampleHitsStatement(customers);
    const k = COMPETING.findIndex((i) => i.validator !== undefined && i.dataTypes.includes('text'));
    const validated = COMPETING[k]!;
    assert.ok(reads.some((r) => r.kind === 'hits' && r.column === 'email' && r.identifier === validated.id));
    assert.deepEqual(
      parameters.find((p) => p.name === `p${k}`),
      { name: `p${k}`, value: javaRegex(validated.pattern, validated.caseInsensitive) },
    );
  });

  it('quotes names with quotes and backticks and passes every pattern and value as a parameter', () => {
    const weird = "it's a `test`";
    const secret = identifier({
      id: 'SECRET_WORD',
      name: 'Secret word',
      description: '',
      kind: 'dictionary',
      pattern: '',
      values: ["O'Brien", 'back`tick', "'; DROP TABLE x; --"],
      caseInsensitive: false,
      tags: [],
      specificity: 1,
    });
    const quote = identifier({
      id: 'QUOTED',
      name: 'Quoted',
      description: '',
      kind: 'valueRegex',
      pattern: "^it's`$",
      caseInsensitive: false,
      tags: [],
      specificity: 1,
    });
    const request: SampleRequest = {
      database: "cat'alog",
      schema: 'sch`ema',
      table: weird,
      columns: [{ name: weird, dataType: 'text' }],
      identifiers: [secret, quote],
      sampleSize: 10,
    };
    const { sql, parameters } = sampleHitsStatement(request);
    assert.ok(sql.includes(`FROM ${quoteQualified("cat'alog", 'sch`ema', weird)} TABLESAMPLE`));
    assert.ok(sql.includes(`CAST(${quoteIdent(weird)} AS STRING)`));
    assert.equal(quoteIdent(weird), "`it's a ``test```");
    for (const leaked of ["O'Brien", 'DROP TABLE', "it's`", 'back`tick']) {
      assert.ok(!sql.replaceAll(quoteIdent(weird), '').includes(leaked), `${leaked} is in the SQL text`);
    }
    assert.deepEqual(parameters, [
      { name: 'sample_size', value: '10', type: 'INT' },
      { name: 'blank', value: ' \t\n\r\f\v' },
      { name: 'd0', value: JSON.stringify(["O'Brien", 'back`tick', "'; DROP TABLE x; --"]) },
      { name: 'p1', value: "^it's`\\z" },
      { name: 'astral', value: '[\\x{10000}-\\x{10FFFF}]' },
      { name: 'astral_units', value: '\uFFFD\uFFFD' },
    ]);
  });

  it('refuses a sample size that is not a positive whole number', () => {
    for (const size of [0, -1, 1.5, Number.NaN, 2 ** 31]) {
      assert.throws(
        () => sampleHitsStatement({ ...customers, sampleSize: size }),
        (e: unknown) => e instanceof AppError && e.code === 'REQUEST_INVALID',
      );
    }
  });

  it('leaves out an identifier whose pattern has no faithful Java form', () => {
    const backreference = identifier({
      id: 'REPEATED',
      name: 'Repeated',
      description: '',
      kind: 'valueRegex',
      pattern: '^(a)\\1$',
      caseInsensitive: false,
      tags: [],
      specificity: 1,
    });
    const { reads, parameters } = sampleHitsStatement({ ...customers, identifiers: [backreference] });
    assert.ok(!reads.some((r) => r.kind === 'hits'));
    assert.ok(!parameters.some((p) => p.name === 'p0'));
  });
});

/** Values that tell the engines apart: line terminators, Unicode spaces, case folds Java and JS differ on. */
const TRICKY = [
  ...'aZz09_-.@:/+ ()[]{}&^$\\',
  '\n',
  '\r',
  '\u000b',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u3000',
  '\ufeff',
  'é',
  'É',
  'ß',
  'ſ',
  '\u212a',
  'k',
  'K',
  'ı',
  'İ',
  'µ',
  'Σ',
  'ς',
  '\ufffd',
  '😀',
];
const trickyString = fc.array(fc.constantFrom(...TRICKY), { maxLength: 8 }).map((a) => a.join(''));

/** The value as the statement's regexes see it: each astral character as two U+FFFD, as in JavaScript. */
const javaScriptView = (v: string): string => v.replace(/[\u{10000}-\u{10FFFF}]/gu, '\uFFFD\uFFFD');

/**
 * Checks that Java, on each value's JavaScript view, agrees with JavaScript's RegExp on the value;
 * values are trimmed first, as the statement does.
 */
function assertAgreement(
  patterns: ReadonlyArray<readonly [string, boolean]>,
  values: readonly string[],
): void {
  const cases: Array<readonly [string, boolean, string]> = [];
  for (const [pattern, ci] of patterns) for (const v of values) cases.push([pattern, ci, trimValue(v)]);
  const java = javaFind(cases.map(([p, ci, v]) => [javaRegex(p, ci) ?? '(', javaScriptView(v)] as const));
  const differences = cases.flatMap(([p, ci, v], k) => {
    const js = new RegExp(p, ci ? 'i' : '').test(v);
    return js === java[k]
      ? []
      : [`${JSON.stringify(p)}${ci ? 'i' : ''} on ${JSON.stringify(v)}: JS ${js}, Java ${java[k]}`];
  });
  assert.deepEqual(differences, []);
}

describe('Java regex translation (checked against java.util.regex, the engine behind Databricks rlike)', () => {
  it('agrees with JavaScript on every built-in pattern, on matching values, near misses and tricky ones', () => {
    const regexes = COMPETING.filter((i) => i.kind === 'valueRegex');
    const values = new Set<string>(fc.sample(trickyString, { numRuns: 60, seed: 6 }));
    for (const i of regexes) {
      for (const v of fc.sample(fc.stringMatching(new RegExp(i.pattern)), { numRuns: 8, seed: 6 })) {
        const core = trimValue(v);
        for (const near of [
          core,
          `${core}\n`,
          `${core}\u2028`,
          `${core}\u0085`,
          core.toLowerCase(),
          core.toUpperCase(),
        ])
          values.add(near);
      }
    }
    assertAgreement(
      regexes.map((i) => [i.pattern, i.caseInsensitive] as const),
      [...values],
    );
  });

  const DIFFERING: ReadonlyArray<readonly [string, boolean]> = [
    ['^a.c$', false],
    ['^abc$', false],
    ['^\\s+x\\S$', false],
    ['^[\\s\\S]$', false],
    ['^\\v\\cj\\cJ$', false],
    ['^\\a\\e\\p{L}\\Q$', false],
    ['^a{$', false],
    ['^a}]$', false],
    ['^[a&&b[]+$', false],
    ['\\bk\\B', false],
    ['^é+$', true],
    ['^[à-ÿ]+$', true],
    ['^[^é]+$', true],
    ['^[a-z]+$', true],
    ['^[\\w-]+$', true],
    ['^\\W+$', true],
    ['^(?<name>k|s)+$', true],
    ['^[\\b]$', false],
    ['^[^]$', false],
    ['^[]$', false],
    ['^\\x41\\u00e9\\0$', true],
  ];

  it('agrees with JavaScript where the two engines differ: $, ., \\s, \\v, \\b, braces, class syntax, case folding', () => {
    const astral = ['😀', 'a😀c', '😀😀😀', 'é😀', '\ufffd\ufffd'];
    assertAgreement(DIFFERING, [...astral, ...fc.sample(trickyString, { numRuns: 150, seed: 6 })]);
  });

  it('would disagree without the translation and the astral view (the oracle can tell the engines apart)', () => {
    const raw = javaFind([
      ['^abc$', 'abc\u0085'],
      ['^a.c$', 'a\u0085c'],
      ['^\\s$', '\u00a0'],
      ['^\\v$', '\u2028'],
      ['(?i)^é$', 'É'],
      ['^[^a]$', '😀'],
    ]);
    assert.deepEqual(raw, [true, false, false, true, false, true]);
    assert.deepEqual(
      [
        /^abc$/.test('abc\u0085'),
        /^a.c$/.test('a\u0085c'),
        /^\s$/.test('\u00a0'),
        /^\v$/.test('\u2028'),
        /^é$/i.test('É'),
        /^[^a]$/.test('😀'),
      ],
      [false, true, true, false, true, false],
    );
  });

  it('refuses lookaround, backreferences, octal escapes and surrogates, which the portable subset excludes', () => {
    for (const pattern of [
      '^(?=a)a$',
      '^(?!a).$',
      '^(?<=a)b$',
      '^(a)\\1$',
      '^\\01$',
      '^\\k<x>$',
      '^\ud83d\ude00$',
      '^(a',
    ]) {
      assert.equal(javaRegex(pattern, false), undefined, pattern);
    }
  });
});

describe('Databricks discovery against a fake server speaking the documented Statement Execution REST contract', () => {
  let fake: FakeDatabricks;
  const platform = testPlatform();
  const table = {
    email: [
      ' jane@example.com\n',
      'JANE@EXAMPLE.COM',
      'x@y.co\u2028',
      'bob@mail.org',
      null,
      'n/a',
      'a@b.cd',
      'c@d.ef',
      'late@x.io',
    ],
    country: ['France', ' FRANCE ', 'fr', 'Deutschland', 'germany', null, null, 'Narnia', 'Spain'],
    ssn: [
      '123-45-6789',
      '000-12-3456',
      '123456789',
      null,
      '536-22-8830',
      '1-2-3',
      '666-45-6789',
      'x',
      '123-45-6789',
    ],
    signup_date: [
      '2024-01-31',
      '1999-12-01',
      null,
      '2024-13-01',
      '2024-02-30',
      '1850-01-01',
      '2000-01-01',
      null,
      '2001-01-01',
    ],
  };
  const request: SampleRequest = {
    database: 'main',
    schema: 'crm',
    table: 'customers',
    columns: [
      { name: 'email', dataType: 'text' },
      { name: 'country', dataType: 'text' },
      { name: 'ssn', dataType: 'text' },
      { name: 'signup_date', dataType: 'date' },
    ],
    identifiers: COMPETING,
    sampleSize: 8,
  };

  beforeEach(async () => {
    fake = await FakeDatabricks.start();
    seedWorkspace(fake);
    answerSampleStatements(fake.warehouse, [
      { qualifiedName: quoteQualified('main', 'crm', 'customers'), columns: table },
    ]);
  });
  afterEach(() => fake.close());

  it('counts hits in one statement that agree with the in-memory counts of the same sample (validators left out)', async () => {
    const session = await platform.connect(connectionConfig(fake));
    const result = await platform.sampleHits!(session, request);
    assert.equal(fake.submitted.length, 1, 'one statement for the table');
    assert.equal(result.rows, 8);
    for (const column of request.columns) {
      const applicable = COMPETING.filter((i) => i.dataTypes.includes(column.dataType)).map(regexOnly);
      const values = table[column.name as keyof typeof table].slice(0, 8);
      const expected = countHits(applicable, values);
      assert.deepEqual(result.columns.get(column.name), expected, column.name);
    }
    const hits = result.columns.get('email')!.hits;
    assert.equal(hits.get('EMAIL_ADDRESS'), 5, 'a trailing U+2028 is no match');
    assert.ok(result.columns.get('country')!.hits.get('COUNTRY_NAME')! >= 3);
    assert.equal(result.columns.get('ssn')!.hits.get('US_SSN'), 4, 'the pattern alone: 000- and 666- count');
  });

  it('sends the sample size as an INT parameter and patterns and dictionaries as STRING parameters', async () => {
    const session = await platform.connect(connectionConfig(fake));
    await platform.sampleHits!(session, request);
    const sent = fake.submitted[0] as {
      statement: string;
      parameters: Array<{ name: string; value: string; type?: string }>;
    };
    const { sql, parameters } = sampleHitsStatement(request);
    assert.equal(sent.statement, sql);
    assert.deepEqual(sent.parameters, parameters);
    assert.deepEqual(sent.parameters[0], { name: 'sample_size', value: '8', type: 'INT' });
    assert.ok(sent.parameters.slice(1).every((p) => p.type === undefined));
  });

  it('reads the same sample of the requested columns as text, untrimmed, with nulls', async () => {
    const session = await platform.connect(connectionConfig(fake));
    const values = await platform.sampleValues!(session, {
      ...request,
      columns: [
        { name: 'ssn', dataType: 'text' },
        { name: 'email', dataType: 'text' },
      ],
    });
    assert.deepEqual([...values.keys()], ['ssn', 'email']);
    assert.deepEqual(values.get('ssn'), table.ssn.slice(0, 8));
    assert.deepEqual(values.get('email'), table.email.slice(0, 8));
    const sent = fake.submitted[0] as { statement: string };
    assert.equal(
      sent.statement,
      'SELECT CAST(`ssn` AS STRING) AS v0, CAST(`email` AS STRING) AS v1 FROM `main`.`crm`.`customers` TABLESAMPLE (:sample_size ROWS)',
    );
  });

  it('cancels the statement on Databricks when the caller aborts', async () => {
    fake.warehouse.handler = () => ({ rows: [], pendingPolls: 10_000 });
    const session = await platform.connect(connectionConfig(fake));
    const controller = new AbortController();
    // Abort once the statement runs (Steward is polling it), however slow the machine is.
    const polling = setInterval(() => {
      if (!fake.requests.some((r) => r.method === 'GET' && r.path.startsWith('/api/2.0/sql/statements/')))
        return;
      clearInterval(polling);
      controller.abort(new Error('stop'));
    }, 5);
    const error = await rejection(platform.sampleHits!(session, request, controller.signal));
    assert.equal((error as Error).message, 'stop');
    assert.equal(fake.canceled.length, 1);
  });

  it('reports missing SELECT privilege as PLATFORM_FORBIDDEN and a failed statement as PLATFORM_ERROR', async () => {
    const session = await platform.connect(connectionConfig(fake));
    fake.warehouse.handler = () => ({
      error: {
        error_code: 'BAD_REQUEST',
        message: '[INSUFFICIENT_PERMISSIONS] User does not have SELECT on Table main.crm.customers.',
        sql_state: '42501',
      },
    });
    const forbidden = await rejection(platform.sampleHits!(session, request));
    assert.ok(forbidden instanceof AppError);
    assert.equal(forbidden.code, 'PLATFORM_FORBIDDEN');
    fake.warehouse.handler = () => ({
      error: { error_code: 'BAD_REQUEST', message: '[TABLE_OR_VIEW_NOT_FOUND] gone', sql_state: '42P01' },
    });
    const failed = await rejection(platform.sampleValues!(session, request));
    assert.ok(failed instanceof AppError);
    assert.equal(failed.code, 'PLATFORM_ERROR');
    assert.equal(
      failed.detail,
      'The statement failed on Databricks (BAD_REQUEST: [TABLE_OR_VIEW_NOT_FOUND] gone).',
    );
  });

  it('refuses counts in an unexpected shape rather than misreading them', async () => {
    const session = await platform.connect(connectionConfig(fake));
    fake.warehouse.handler = () => ({
      columns: [{ name: 'sampled_rows', type_name: 'BIGINT' }],
      rows: [['8']],
    });
    const error = await rejection(platform.sampleHits!(session, request));
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'PLATFORM_ERROR');
    assert.equal(error.detail, 'Databricks returned sample counts in an unexpected shape.');
  });
});
