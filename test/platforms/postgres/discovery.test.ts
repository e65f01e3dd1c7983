import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import pg from 'pg';
import { BUILTIN_IDENTIFIERS } from '../../../src/discovery/builtin-identifiers.ts';
import { type Identifier, identifier } from '../../../src/discovery/identifier.ts';
import { parsePattern } from '../../../src/discovery/pattern.ts';
import { type ColumnHits, countHits } from '../../../src/discovery/scoring.ts';
import { AppError } from '../../../src/errors/index.ts';
import type { Platform, SampleRequest, TableSampleHits } from '../../../src/platforms/platform.ts';
import { createPostgresPlatform, type PostgresSession } from '../../../src/platforms/postgres/index.ts';
import { superuserClient } from '../../entitlements/warehouse-rows.ts';
import {
  createEmbeddedWarehouse,
  createServerWarehouse,
  type TestWarehouse,
} from '../../support/warehouse.ts';

const q = pg.escapeIdentifier;

/** A portable custom identifier, its pattern stored in canonical form as the identifier API does. */
const custom = (id: string, source: string, caseInsensitive: boolean): Identifier => {
  const parsed = parsePattern(source);
  assert.ok(parsed.ok, `${id}: ${parsed.ok ? '' : parsed.message}`);
  return identifier({
    id,
    name: id,
    description: id,
    kind: 'valueRegex',
    pattern: parsed.canonical,
    caseInsensitive,
    tags: [],
    specificity: 1,
  });
};

/** Identifiers that exercise what the built-ins do not: `.`, negated classes, \s, non-ASCII case folding. */
const CUSTOM: readonly Identifier[] = [
  custom('NEGATED', '[^@ ]+@[^@ ]+', false),
  custom('DOT', '.{2,6}', false),
  custom('NOT_SPACE', '\\S+', false),
  custom('ANYTHING', '[\\s\\S]*', false),
  custom('STREET_CI', '(?:straße|rue|ävenue) [a-zà-ÿ]+', true),
  custom('WORDS_CI', '[a-z\\s]+', true),
  custom('NO_LETTERS_CI', '[^a-z]+', true),
  custom('KELVIN_CI', 'k+', true),
  custom('MICRO_CI', 'µ+', true),
  identifier({
    id: 'NAMES_CI',
    name: 'names',
    description: 'names',
    kind: 'dictionary',
    pattern: '',
    values: ['Zoë', 'ÉMILE', 'straße', 'Anna', 'anna'],
    caseInsensitive: true,
    tags: [],
    specificity: 1,
  }),
  identifier({
    id: 'CODES_CS',
    name: 'codes',
    description: 'codes',
    kind: 'dictionary',
    pattern: '',
    values: ['AB', 'ab', 'Ünï', '😀'],
    caseInsensitive: false,
    tags: [],
    specificity: 1,
  }),
];

const VALUE_IDENTIFIERS = [...BUILTIN_IDENTIFIERS.filter((i) => i.kind !== 'columnName'), ...CUSTOM];

/** The same identifiers without validators: the platform counts a validator identifier by its regex. */
const REGEX_ONLY = VALUE_IDENTIFIERS.map((i) => (i.validator ? { ...i, validator: undefined } : i));

/** Values most built-ins match, and near misses of them. */
const EXAMPLES = [
  'jane.doe@example.com',
  'o.brien+tag@mail.co.uk',
  'jane@localhost',
  '+14155552671',
  '+447911123456',
  '(415) 555-2671',
  '415-555-2671',
  '+1 415.555.2671',
  '07911 123456',
  '+44 20 7946 0958',
  '06 12 34 56 78',
  '+33 6 12 34 56 78',
  '123-45-6789',
  '666-45-6789',
  '4111 1111 1111 1111',
  '5500-0000-0000-0004',
  '3782 822463 10005',
  'GB82 WEST 1234 5698 7654 32',
  'DE89370400440532013000',
  'gb82west12345698765432',
  '192.168.0.1',
  '256.1.1.1',
  '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
  '2001:db8::1',
  '::1',
  '00:1A:2b:3C:4d:5E',
  '001a.2b3c.4d5e',
  'https://example.com:8080/path?q=1#frag',
  'HTTP://EXAMPLE.COM',
  'ftp://files.example.org',
  '123e4567-e89b-42d3-a456-426614174000',
  '123E4567-E89B-12D3-A456-426614174000',
  '2024-02-29',
  '1899-12-31',
  '02/29/2024',
  '29.02.2024',
  '31/12/1999',
  '2024-02-29T13:45:00Z',
  '2024-02-29 13:45:00.123+02:00',
  '1600 Pennsylvania Avenue',
  '221B Baker Street',
  '10 rue de Rivoli',
  'Via Roma, 10',
  'Hauptstraße 5',
  'HAUPTSTRASSE 5',
  '90210',
  '90210-1234',
  'SW1A 1AA',
  'sw1a1aa',
  'K1A 0B1',
  'A12345678',
  '123456789',
  'AB 12 34 56 C',
  'QQ123456C',
  '046 454 286',
  '123 456 782',
  '2123 45670 1',
  '2345 6789 0123',
  'ABCPE1234F',
  '123.456.789-09',
  '12.345.678',
  '85.07.30-033.28',
  '1 85 07 2A 012 345 67',
  '12 345 678 901',
  '12345678Z',
  'X1234567L',
  'RSSMRA85T10A562S',
  'GODE561231HDFRRN09',
  'AKIAIOSFODNN7EXAMPLE',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature-1',
  'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
  'ghp_0123456789abcdefghijklmnopqrstuvwxyz',
  'AIzaSyA-1234567890abcdefghijklmnopqrstu',
  'Anna',
  'ANNA',
  'anna',
  'Smith',
  'García',
  'France',
  'FRANCE',
  'CÔTE D’IVOIRE',
  "Côte d'Ivoire",
  'FR',
  'fr',
  'FRA',
  'male',
  'F',
  'Non-binary',
  'Zoë',
  'ZOË',
  'émile',
  'STRASSE',
  'AB',
  'Ab',
];

/** Strings that differ between engines if anything is left to chance: whitespace, case folding, encoding. */
const HOSTILE = [
  '',
  ' ',
  '\t\n\r\f\v',
  'line one\nline two',
  'jane@example.com\nbob@example.com',
  '\tjane.doe@example.com\t',
  '\v+14155552671\f',
  ' 123-45-6789 ',
  '\u00a0jane@example.com',
  'jane@example.com\u00a0',
  '\u2028',
  'ſ',
  'ſtraße 5',
  'rue ſaint',
  '\u212A',
  'kkk',
  'KKK',
  'k\u212Ak',
  'µµ',
  'ΜΜ',
  'μ',
  'ÿŸ',
  'Straße ÄÖÜ',
  'STRASSE éÉ',
  'ÄVENUE foo',
  'ävenue ŸOLO',
  '😀',
  'a😀',
  '😀😀😀',
  '😀@example.com',
  'Ünï',
  'ÜNÏ',
  'x'.repeat(5000),
  '1'.repeat(300),
  `a@b.${'c'.repeat(300)}`,
  `https://example.com/${'a'.repeat(2000)}`,
  'NULL',
  "O'Brien",
  'a"b',
  'back\\slash',
];

const ALL_VALUES = [...EXAMPLES, ...HOSTILE];

const sorted = (hits: ReadonlyMap<string, number>) => [...hits].sort(([a], [b]) => (a < b ? -1 : 1));

/** What the platform must have counted for a column: the in-memory count over the values it read. */
function expected(dataType: string, values: ReadonlyArray<string | null>): ColumnHits {
  return countHits(
    REGEX_ONLY.filter((i) => i.dataTypes.includes(dataType)),
    values,
  );
}

function assertSameHits(actual: ColumnHits | undefined, wanted: ColumnHits, label: string): void {
  assert.ok(actual, `${label}: no hits returned`);
  assert.equal(actual.nonNull, wanted.nonNull, `${label}: non-null values`);
  const a = sorted(actual.hits);
  const b = sorted(wanted.hits);
  for (const [id, n] of b) {
    const got = actual.hits.get(id);
    assert.equal(got, n, `${label}: ${id} counted ${got} in PostgreSQL, ${n} in JavaScript`);
  }
  assert.deepEqual(a, b, label);
}

for (const kind of ['embedded', 'server'] as const) {
  describe(`discovery sampling in PostgreSQL (${kind === 'server' ? 'local server' : 'embedded PGlite'})`, () => {
    let wh: TestWarehouse;
    let su: pg.Client;
    let platform: Platform<PostgresSession>;

    async function withSession<T>(fn: (s: PostgresSession) => Promise<T>): Promise<T> {
      const session = await platform.connect({
        connectionKey: 'wh',
        connection: wh.connection,
        nativeIntegration: undefined,
      });
      try {
        return await fn(session);
      } finally {
        await session.close();
      }
    }

    const request = (
      schema: string,
      table: string,
      columns: SampleRequest['columns'],
      sampleSize = 13_000,
      identifiers: readonly Identifier[] = VALUE_IDENTIFIERS,
    ): SampleRequest => ({ database: wh.database, schema, table, columns, identifiers, sampleSize });

    const both = (r: SampleRequest) =>
      withSession(async (s) => {
        const hits = await platform.sampleHits!(s, r);
        const values = await platform.sampleValues!(s, r);
        return { hits, values };
      });

    /** Asserts that every column's platform counts equal the in-memory counts of the values read. */
    function assertAgree(
      r: SampleRequest,
      hits: TableSampleHits,
      values: ReadonlyMap<string, ReadonlyArray<string | null>>,
    ): void {
      for (const column of r.columns) {
        const sample = values.get(column.name);
        assert.ok(sample, column.name);
        assert.equal(sample.length, hits.rows, `${column.name}: rows read by both`);
        assertSameHits(hits.columns.get(column.name), expected(column.dataType, sample), column.name);
      }
    }

    before(async () => {
      wh = kind === 'server' ? await createServerWarehouse() : await createEmbeddedWarehouse();
      su = await superuserClient(wh);
      su.on('error', () => {});
      platform = createPostgresPlatform({ resolveEndpoint: wh.resolveEndpoint });
      await su.query(`CREATE SCHEMA disc; GRANT USAGE ON SCHEMA disc TO ${q(wh.role)};
        ALTER DEFAULT PRIVILEGES IN SCHEMA disc GRANT SELECT ON TABLES TO ${q(wh.role)};`);
    });

    after(async () => {
      await su?.end();
      await wh?.drop();
    });

    it('counts every identifier in the platform exactly as in memory over the same sample', async () => {
      await su.query(`CREATE TABLE disc.samples (t text, vc varchar(6000), ch char(24), d date, i int)`);
      const values = [...ALL_VALUES, null, null];
      await su.query(
        `INSERT INTO disc.samples
         SELECT v, w, left(v, 24), CASE WHEN v ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN v::date END, length(v)
           FROM unnest($1::text[], $2::text[]) AS x(v, w)`,
        [values, [...values].reverse()],
      );
      const r = request('disc', 'samples', [
        { name: 't', dataType: 'text' },
        { name: 'vc', dataType: 'text' },
        { name: 'ch', dataType: 'text' },
        { name: 'd', dataType: 'date' },
        { name: 'i', dataType: 'integer' },
      ]);
      const { hits, values: read } = await both(r);
      assert.equal(hits.rows, values.length);
      assertAgree(r, hits, read);
      const text = hits.columns.get('t')!;
      assert.equal(text.nonNull, ALL_VALUES.length);
      assert.ok((text.hits.get('EMAIL_ADDRESS') ?? 0) >= 3, 'trimmed emails match');
      assert.ok((text.hits.get('KELVIN_CI') ?? -1) >= 2);
      assert.ok((text.hits.get('NAMES_CI') ?? -1) >= 4);
    });

    it('agrees with JavaScript on random strings for every value identifier', async () => {
      await su.query(`CREATE TABLE disc.random (v text)`);
      const r = request('disc', 'random', [{ name: 'v', dataType: 'text' }]);
      const tokens = [
        ...'0123456789',
        ...'abcxyzAKIQSZ',
        ..." -./:@+()_,#'",
        ...'\t\n\r\f\v',
        '\u00a0',
        '\u2028',
        ...'éÉßſ\u212AÿŸµμΜäÄëËÏï',
        '😀',
        'straße',
        'rue',
        'ävenue',
        'Anna',
        'ZOË',
        'fr',
        'FRA',
        '@example.com',
        'https://',
        '+1',
        '+44',
        '2024-',
        '12-31',
        '123-45-',
        'GB82',
        'AKIA',
        'eyJ',
        '.eyJ',
        'sk_live_',
        'Street',
        'Avenue',
      ];
      const value = fc.oneof(
        fc.array(fc.constantFrom(...tokens), { maxLength: 12 }).map((parts) => parts.join('')),
        fc
          .tuple(fc.constantFrom(...EXAMPLES), fc.nat(40), fc.constantFrom(...tokens))
          .map(([v, at, t]) => v.slice(0, at % (v.length + 1)) + t + v.slice((at % (v.length + 1)) + 1)),
      );
      await withSession(async (session) => {
        await fc.assert(
          fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 60 }), async (batch) => {
            await su.query('TRUNCATE disc.random');
            await su.query('INSERT INTO disc.random SELECT unnest($1::text[])', [batch]);
            const hits = await platform.sampleHits!(session, r);
            const read = await platform.sampleValues!(session, r);
            assert.deepEqual([...(read.get('v') ?? [])].sort(), [...batch].sort());
            assertAgree(r, hits, read);
          }),
          { numRuns: kind === 'server' ? 40 : 25 },
        );
      });
    });

    it('samples at most sampleSize rows, spread over a big table, and reads the same rows twice', async () => {
      await su.query(`CREATE TABLE disc.big (id int, email text, note text);
        INSERT INTO disc.big SELECT g, CASE WHEN g % 7 = 0 THEN NULL ELSE 'user' || g || '@example.com' END,
               CASE WHEN g % 3 = 0 THEN '123-45-' || lpad((g % 10000)::text, 4, '0') ELSE 'note ' || g END
          FROM generate_series(1, 40000) g;
        ANALYZE disc.big;`);
      const columns = [
        { name: 'email', dataType: 'text' },
        { name: 'note', dataType: 'text' },
      ];
      const r = request('disc', 'big', columns, 1500);
      const { hits, values } = await both(r);
      assert.ok(hits.rows > 0 && hits.rows <= 1500, `sampled ${hits.rows} rows`);
      assertAgree(r, hits, values);
      const again = await withSession((s) => platform.sampleValues!(s, r));
      assert.deepEqual(again, values);
      const ids = await withSession((s) =>
        platform.sampleValues!(s, request('disc', 'big', [{ name: 'id', dataType: 'integer' }], 1500)),
      );
      const idList = ids.get('id')!.map(Number);
      assert.equal(idList.length, hits.rows);
      assert.ok(Math.max(...idList) > 36_000, 'the sample reaches the end of the table');
      assert.ok(Math.min(...idList) < 4_000, 'and its start');
      assert.ok(hits.columns.get('email')!.nonNull < hits.rows, 'NULLs are counted out');
    });

    it('sizes the sample from the current table size when statistics are stale', async () => {
      await su.query(`CREATE TABLE disc.grown (id int, email text);
        INSERT INTO disc.grown SELECT g, 'g' || g || '@example.net' FROM generate_series(1, 100) g;
        ANALYZE disc.grown;
        INSERT INTO disc.grown SELECT g, 'g' || g || '@example.net' FROM generate_series(101, 40000) g;`);
      const r = request('disc', 'grown', [{ name: 'id', dataType: 'integer' }], 1000);
      const values = await withSession((s) => platform.sampleValues!(s, r));
      const ids = values.get('id')!.map(Number);
      assert.ok(ids.length > 0 && ids.length <= 1000, `sampled ${ids.length} rows`);
      assert.ok(Math.max(...ids) > 30_000, 'the sample is spread over the rows added since ANALYZE');
    });

    it('samples a partitioned table across its partitions', async () => {
      await su.query(`CREATE TABLE disc.parts (id int, email text) PARTITION BY RANGE (id);
        CREATE TABLE disc.parts_low PARTITION OF disc.parts FOR VALUES FROM (0) TO (15000);
        CREATE TABLE disc.parts_high PARTITION OF disc.parts FOR VALUES FROM (15000) TO (30000);
        GRANT SELECT ON disc.parts_low, disc.parts_high TO ${q(wh.role)};
        INSERT INTO disc.parts SELECT g, 'p' || g || '@example.org' FROM generate_series(1, 29999) g;
        ANALYZE disc.parts;`);
      const r = request('disc', 'parts', [{ name: 'email', dataType: 'text' }], 800);
      const { hits, values } = await both(r);
      assert.ok(hits.rows > 0 && hits.rows <= 800, `sampled ${hits.rows} rows`);
      assertAgree(r, hits, values);
      const ids = values.get('email')!.map((v) => Number(/[0-9]+/.exec(v ?? '')?.[0]));
      assert.ok(
        ids.some((id) => id < 15_000) && ids.some((id) => id >= 15_000),
        'both partitions are sampled',
      );
      assert.deepEqual(await withSession((s) => platform.sampleValues!(s, r)), values);
    });

    it('reads the first rows of a small or never analysed table, and of a view', async () => {
      await su.query(`CREATE TABLE disc.fresh (id int, email text);
        INSERT INTO disc.fresh SELECT g, 'u' || g || '@example.com' FROM generate_series(1, 5000) g;
        CREATE VIEW disc.fresh_view AS SELECT id, upper(email) AS email FROM disc.fresh WHERE id % 2 = 0;
        GRANT SELECT ON disc.fresh_view TO ${q(wh.role)};`);
      for (const table of ['fresh', 'fresh_view']) {
        const r = request('disc', table, [{ name: 'email', dataType: 'text' }], 1000);
        const { hits, values } = await both(r);
        assert.ok(hits.rows > 0 && hits.rows <= 1000, `${table}: ${hits.rows}`);
        assertAgree(r, hits, values);
        assert.equal(hits.columns.get('email')!.hits.get('EMAIL_ADDRESS'), hits.rows);
      }
    });

    it('quotes hostile schema, table and column names', async () => {
      const schema = 'Sch "ema" ü';
      const table = 'Tab"; DROP TABLE x; --';
      const cols = ['E"mail', 'select', 'UPPER Col', 'ünï cödé', "it's"];
      await su.query(`CREATE SCHEMA ${q(schema)}; GRANT USAGE ON SCHEMA ${q(schema)} TO ${q(wh.role)};
        CREATE TABLE ${q(schema)}.${q(table)} (${cols.map((c) => `${q(c)} text`).join(', ')});
        GRANT SELECT ON ${q(schema)}.${q(table)} TO ${q(wh.role)};`);
      await su.query(`INSERT INTO ${q(schema)}.${q(table)} SELECT v, v, v, v, v FROM unnest($1::text[]) v`, [
        EXAMPLES,
      ]);
      const r = request(
        schema,
        table,
        cols.map((name) => ({ name, dataType: 'text' })),
      );
      const { hits, values } = await both(r);
      assert.equal(hits.rows, EXAMPLES.length);
      assertAgree(r, hits, values);
      for (const c of cols) assert.ok((hits.columns.get(c)!.hits.get('EMAIL_ADDRESS') ?? 0) >= 2, c);
    });

    it('tests a column only with identifiers of its type family', async () => {
      await su.query(`CREATE TABLE disc.typed (n int, born date, flag boolean);
        INSERT INTO disc.typed SELECT g, date '2000-01-01' + g, g % 2 = 0 FROM generate_series(1, 50) g;`);
      const r = request('disc', 'typed', [
        { name: 'n', dataType: 'integer' },
        { name: 'born', dataType: 'date' },
        { name: 'flag', dataType: 'boolean' },
      ]);
      const { hits, values } = await both(r);
      assertAgree(r, hits, values);
      const n = hits.columns.get('n')!;
      assert.equal(n.nonNull, 50);
      assert.equal(n.hits.has('EMAIL_ADDRESS'), false);
      assert.equal(n.hits.has('US_ZIP_CODE'), false, 'digits in an integer column are not tested as text');
      const born = hits.columns.get('born')!;
      assert.equal(born.hits.get('DATE_ISO'), 50);
      assert.equal(born.hits.has('EMAIL_ADDRESS'), false);
      assert.equal(hits.columns.get('flag')!.hits.size, 0);
    });

    it('refuses an identifier whose pattern is outside the portable subset', async () => {
      await su.query(`CREATE TABLE disc.refused (v text)`);
      const bad = { ...CUSTOM[0]!, id: 'BAD', pattern: '^(a+)+$' };
      const r = request('disc', 'refused', [{ name: 'v', dataType: 'text' }], 10, [bad]);
      await withSession(async (s) => {
        await assert.rejects(
          platform.sampleHits!(s, r),
          (e: unknown) => e instanceof AppError && e.code === 'SDD_PATTERN_INVALID',
        );
      });
    });
  });
}
