import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fitName, MAX_NAME_BYTES, mirrorSchemaName } from '../../../src/platforms/postgres/names.ts';
import { quoteIdent } from '../../../src/platforms/postgres/quote.ts';

const name = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 80 })
  .filter((s) => !s.includes('\u0000'));
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('PostgreSQL names Steward generates', () => {
  it('keeps names of up to 63 bytes exactly as they are', () => {
    fc.assert(
      fc.property(name, (n) => {
        fc.pre(bytes(n) <= MAX_NAME_BYTES);
        assert.equal(fitName(n), n);
      }),
    );
  });

  it('cuts longer names at a character boundary to 63 bytes or less, ending in _ and 8 hex digits', () => {
    fc.assert(
      fc.property(name, fc.string({ unit: 'grapheme', minLength: 30, maxLength: 60 }), (a, b) => {
        const long = `${a}${b}${b}`;
        fc.pre(bytes(long) > MAX_NAME_BYTES && !long.includes('\u0000'));
        const fitted = fitName(long);
        assert.ok(bytes(fitted) <= MAX_NAME_BYTES);
        assert.match(fitted, /_[0-9a-f]{8}$/);
        const prefix = fitted.slice(0, -9);
        assert.ok(long.startsWith(prefix), 'a prefix of whole characters');
        assert.ok(!/[\uD800-\uDBFF]$/.test(prefix), 'no surrogate pair is split');
        assert.equal(quoteIdent(fitted).length > 0, true);
      }),
    );
  });

  it('gives distinct long names distinct results, even when they share their first 63 bytes', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.string({ minLength: 1, maxLength: 20 }),
        (x, y) => {
          fc.pre(x !== y);
          const base = 'a'.repeat(70);
          assert.notEqual(fitName(base + x), fitName(base + y));
        },
      ),
    );
  });

  it('names the mirror schema after the Steward schema and the governed schema', () => {
    assert.equal(mirrorSchemaName('steward', 'sales'), 'steward_sales');
    const fitted = mirrorSchemaName('steward', 'é'.repeat(40));
    assert.ok(bytes(fitted) <= MAX_NAME_BYTES);
    assert.ok(fitted.startsWith('steward_éé'));
  });
});
