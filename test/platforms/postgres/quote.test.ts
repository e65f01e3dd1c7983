import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import pg from 'pg';
import { quoteIdent, quoteLiteral, quoteQualified } from '../../../src/platforms/postgres/quote.ts';
import { TEST_SERVER_URL } from '../../support/store.ts';

const identifier = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .filter((s) => !s.includes('\u0000') && Buffer.byteLength(s) <= 63);
const text = fc.string({ unit: 'grapheme', maxLength: 60 }).filter((s) => !s.includes('\u0000'));
const tricky = fc.constantFrom(
  "'",
  '"',
  '\\',
  "\\'",
  '$$',
  'a"b',
  "O'Brien",
  'select',
  'USER',
  'Ünïcødé',
  '\n',
  'x\\"y',
  '--',
  ';drop',
);

describe('PostgreSQL quoting, checked against PostgreSQL 15 itself', () => {
  let client: pg.Client;
  before(async () => {
    client = new pg.Client({ connectionString: TEST_SERVER_URL });
    await client.connect();
  });
  after(async () => client.end());

  it("quotes identifiers as format('%I') does, always in quotes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(identifier, tricky), async (name) => {
        const { rows } = await client.query<{ q: string }>("SELECT format('%I', $1::text) AS q", [name]);
        const expected = rows[0]!.q.startsWith('"') ? rows[0]!.q : `"${rows[0]!.q}"`;
        assert.equal(quoteIdent(name), expected);
      }),
      { numRuns: 400 },
    );
  });

  it('reads every quoted identifier back exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(identifier, tricky), async (name) => {
        const { rows } = await client.query<{ n: string }>(`SELECT 1 AS ${quoteIdent(name)}`);
        assert.deepEqual(Object.keys(rows[0]!), [name]);
      }),
      { numRuns: 300 },
    );
  });

  it("quotes literals exactly as format('%L') does and reads them back with either string setting", async () => {
    for (const conforming of ['on', 'off']) {
      await client.query(`SET standard_conforming_strings = ${conforming}`);
      await fc.assert(
        fc.asyncProperty(fc.oneof(text, tricky), async (value) => {
          const { rows } = await client.query<{ q: string }>("SELECT format('%L', $1::text) AS q", [value]);
          assert.equal(quoteLiteral(value).trim(), rows[0]!.q.trim());
          const back = await client.query<{ v: string }>(`SELECT ${quoteLiteral(value)}::text AS v`);
          assert.equal(back.rows[0]!.v, value);
        }),
        { numRuns: 300 },
      );
    }
    await client.query('RESET standard_conforming_strings');
  });

  it('refuses NUL, empty and over-long identifiers instead of letting PostgreSQL truncate them', () => {
    assert.throws(() => quoteIdent(''), /empty/);
    assert.throws(() => quoteIdent('a\u0000b'), /NUL/);
    assert.throws(() => quoteIdent('é'.repeat(32)), /longer than 63 bytes/);
    assert.equal(quoteIdent('é'.repeat(31)), `"${'é'.repeat(31)}"`);
    assert.throws(() => quoteLiteral('a\u0000'), /NUL/);
  });

  it('quotes qualified names part by part', () => {
    assert.equal(quoteQualified('sales', 'Order "lines"'), '"sales"."Order ""lines"""');
  });
});
