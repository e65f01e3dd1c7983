import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { quoteIdent, quoteLiteral, quoteQualified } from '../../../src/platforms/databricks/quote.ts';

/**
 * Reads a Databricks delimited identifier back, by the documented rule: backticks around any
 * characters, a doubled backtick standing for one. Throws unless the whole text is one such token.
 */
function unquoteIdent(text: string): string {
  const m = /^`((?:[^`]|``)*)`$/su.exec(text);
  if (!m) throw new Error(`not one delimited identifier: ${text}`);
  return m[1]!.replaceAll('``', '`');
}

/** Splits a dotted name of delimited identifiers, as the SQL lexer would. */
function unquoteQualified(text: string): string[] {
  const parts = text.match(/`(?:[^`]|``)*`/gsu) ?? [];
  if (parts.join('.') !== text) throw new Error(`not a dotted name: ${text}`);
  return parts.map(unquoteIdent);
}

const ESCAPES: Record<string, string> = {
  '0': '\u0000',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\u001A',
  '%': '\\%',
  _: '\\_',
};

/**
 * Reads a Databricks string literal back by the documented escape rules of ordinary (non-raw)
 * literals: `\0 \b \n \r \t \Z`, `\%` and `\_` kept with their backslash, `\uXXXX`, and any other
 * `\<c>` standing for `<c>`. Throws unless the whole text is one literal token.
 */
function unquoteLiteral(text: string): string {
  if (!/^'(?:[^'\\]|\\.)*'$/su.test(text)) throw new Error(`not one string literal: ${text}`);
  let out = '';
  const body = text.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = body[++i]!;
    const hex = body.slice(i + 1, i + 5);
    if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(hex)) {
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 4;
    } else {
      out += ESCAPES[next] ?? next;
    }
  }
  return out;
}

const tricky = fc.constantFrom(
  '`',
  '``',
  'a`b',
  "'",
  "\\'",
  '\\',
  '\\\\',
  '\\n',
  '\\u0041',
  '\\%',
  '\\_',
  '\\0',
  '\n',
  'select',
  'Ünïcødé',
  "O'Connell",
  '`; DROP CATALOG x; --',
);
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  tricky,
);
const noNul = text.filter((s) => !s.includes('\u0000'));
const name = noNul.filter((s) => s.length > 0);

describe('Databricks quoting', () => {
  it('quotes identifiers in backticks, doubling embedded backticks (golden cases)', () => {
    assert.equal(quoteIdent('a`b'), '`a``b`');
    assert.equal(quoteIdent('select'), '`select`');
    assert.equal(quoteIdent('a.b c'), '`a.b c`');
    assert.equal(quoteQualified('main', 'sales', 'Order `lines`'), '`main`.`sales`.`Order ``lines```');
  });

  it('reads every quoted identifier and dotted name back exactly (property)', () => {
    fc.assert(
      fc.property(name, (n) => assert.equal(unquoteIdent(quoteIdent(n)), n)),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 4 }), (parts) =>
        assert.deepEqual(unquoteQualified(quoteQualified(...parts)), parts),
      ),
      { numRuns: 500 },
    );
  });

  it('quotes string literals with backslash escapes for backslash and quote (golden cases)', () => {
    assert.equal(quoteLiteral("O'Connell"), "'O\\'Connell'");
    assert.equal(quoteLiteral('C:\\temp'), "'C:\\\\temp'");
    assert.equal(quoteLiteral('50\\%'), "'50\\\\%'");
    assert.equal(quoteLiteral(''), "''");
    assert.equal(quoteLiteral('line\nbreak'), "'line\nbreak'");
  });

  it('reads every quoted literal back exactly by the documented escape rules (property)', () => {
    fc.assert(
      fc.property(noNul, (v) => assert.equal(unquoteLiteral(quoteLiteral(v)), v)),
      { numRuns: 1000 },
    );
  });

  it('the reference reader catches a quoter that escapes quotes but forgets backslashes', () => {
    const naive = (v: string) => `'${v.replaceAll("'", "\\'")}'`;
    assert.notEqual(unquoteLiteral(naive('a\\nb')), 'a\\nb');
    assert.throws(() => unquoteLiteral(naive('ends with \\')), /not one string literal/);
  });

  it('refuses empty identifiers and NUL in identifiers and literals', () => {
    assert.throws(() => quoteIdent(''), /empty/);
    assert.throws(() => quoteIdent('a\u0000b'), /NUL/);
    assert.throws(() => quoteQualified('ok', ''), /empty/);
    assert.throws(() => quoteLiteral('a\u0000'), /NUL/);
  });
});
