import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { identifier } from '../../src/discovery/identifier.ts';
import { classifyColumn, countHits, MAX_SAMPLE_ROWS, sampleSize } from '../../src/discovery/scoring.ts';

const digits = identifier({
  id: 'DIGITS',
  name: 'Digits',
  description: '',
  kind: 'valueRegex',
  pattern: '^[0-9]+$',
  caseInsensitive: false,
  tags: ['Discovered.Entity.Number'],
  specificity: 10,
});
const fiveDigits = identifier({
  id: 'FIVE_DIGITS',
  name: 'Five digits',
  description: '',
  kind: 'valueRegex',
  pattern: '^[0-9]{5}$',
  caseInsensitive: false,
  tags: ['Discovered.Entity.Postal Code', 'Discovered.Country.United States'],
  specificity: 60,
});
const colours = identifier({
  id: 'COLOUR',
  name: 'Colour',
  description: '',
  kind: 'dictionary',
  pattern: '',
  values: ['Red', 'Green', 'Blue'],
  caseInsensitive: true,
  tags: ['Discovered.Entity.Colour'],
  specificity: 30,
});
const zipName = identifier({
  id: 'ZIP_COLUMN',
  name: 'Zip column',
  description: '',
  kind: 'columnName',
  pattern: '^(?:[a-z_]*_)?zip(?:_[a-z_]*)?$',
  caseInsensitive: true,
  tags: ['Discovered.Entity.Postal Code', 'Discovered.Entity.Address'],
  specificity: 10,
});
const ALL = [digits, fiveDigits, colours, zipName];

/** n values of which `hits` are five-digit codes and the rest words. */
const column = (n: number, hits: number, nulls = 0): (string | null)[] => [
  ...Array.from({ length: hits }, (_, i) => String(10000 + i)),
  ...Array.from({ length: n - hits }, (_, i) => `word${i}x`),
  ...Array.from({ length: nulls }, () => null),
];

describe('discovery sample size', () => {
  it('grows with the number of competing identifiers as the reference documents, never above 13,000', () => {
    assert.equal(sampleSize(5), 7369);
    assert.equal(sampleSize(50), 9211);
    assert.equal(sampleSize(500), 11053);
    assert.equal(sampleSize(5000), 12895);
    assert.equal(sampleSize(50_000), MAX_SAMPLE_ROWS);
    assert.ok(sampleSize(1) > 5000 && sampleSize(1) < 7369);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return sampleSize(lo) <= sampleSize(hi) && sampleSize(hi) <= MAX_SAMPLE_ROWS;
      }),
    );
  });
});

describe('competitive pattern analysis', () => {
  it('qualifies an identifier at exactly 90 % of the non-null values and drops it just below', () => {
    const at = classifyColumn(ALL, 'code', countHits(ALL, column(100, 90)));
    assert.equal(at.identifier, 'FIVE_DIGITS');
    assert.equal(at.hitRates.FIVE_DIGITS, 0.9);
    const below = classifyColumn(ALL, 'code', countHits(ALL, column(100, 89)));
    assert.equal(below.identifier, null);
    assert.deepEqual(below.tags, []);
    assert.equal(below.hitRates.FIVE_DIGITS, 0.89, 'the near miss is still reported');
  });

  it('computes the rate over non-null values only', () => {
    const mostlyNull = classifyColumn(ALL, 'code', countHits(ALL, column(10, 9, 990)));
    assert.equal(mostlyNull.sampled, 10);
    assert.equal(mostlyNull.identifier, 'FIVE_DIGITS');
    const allNull = classifyColumn(ALL, 'code', countHits(ALL, [null, null]));
    assert.equal(allNull.identifier, null);
    assert.equal(allNull.sampled, 0);
  });

  it('gives the column the most specific qualifying identifier only', () => {
    const v = classifyColumn(ALL, 'code', countHits(ALL, column(50, 50)));
    assert.deepEqual(v.qualified, ['FIVE_DIGITS', 'DIGITS']);
    assert.equal(v.identifier, 'FIVE_DIGITS');
    assert.deepEqual(v.tags, ['Discovered.Country.United States', 'Discovered.Entity.Postal Code']);
  });

  it('breaks a specificity tie by the higher hit rate, then by id', () => {
    const a = identifier({ ...fiveDigits, id: 'A_FIVE', specificity: 60 });
    const b = identifier({ ...digits, id: 'B_DIGITS', specificity: 60 });
    const values = [...column(95, 95), '123456789', '1234567', '12', '1', '123'];
    const v = classifyColumn([a, b], 'c', countHits([a, b], values));
    assert.equal(v.identifier, 'B_DIGITS', 'all-digits matches 100 %, five digits 95 %');
    const tie = classifyColumn(
      [b, identifier({ ...digits, id: 'A_DIGITS', specificity: 60 })],
      'c',
      countHits([b, identifier({ ...digits, id: 'A_DIGITS', specificity: 60 })], values),
    );
    assert.equal(tie.identifier, 'A_DIGITS');
  });

  it('adds the tags of column-name identifiers, which do not compete', () => {
    const named = classifyColumn(ALL, 'home_zip', countHits(ALL, column(20, 20)));
    assert.equal(named.identifier, 'FIVE_DIGITS');
    assert.deepEqual(named.nameMatches, ['ZIP_COLUMN']);
    assert.deepEqual(named.tags, [
      'Discovered.Country.United States',
      'Discovered.Entity.Address',
      'Discovered.Entity.Postal Code',
    ]);
    const nameOnly = classifyColumn(ALL, 'ZIP', countHits(ALL, column(20, 0)));
    assert.equal(nameOnly.identifier, null);
    assert.deepEqual(nameOnly.tags, ['Discovered.Entity.Address', 'Discovered.Entity.Postal Code']);
  });

  it('matches dictionaries case-insensitively after trimming ASCII whitespace', () => {
    const v = classifyColumn(ALL, 'c', countHits(ALL, [' red', 'GREEN\t', 'Blue', 'blue ', 'red']));
    assert.equal(v.identifier, 'COLOUR');
    const nbsp = countHits([colours], ['red\u00a0']);
    assert.equal(nbsp.hits.get('COLOUR'), 0, 'only ASCII whitespace is trimmed, as the platform trims');
  });

  it('early exit reaches the same verdict as exact counting', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constant(null),
            fc.integer({ min: 0, max: 99999 }).map(String),
            fc.constantFrom('red', 'Blue', 'x', '12345', ''),
          ),
          { maxLength: 200 },
        ),
        (values) => {
          const exact = classifyColumn(ALL, 'c', countHits(ALL, values));
          const fast = classifyColumn(ALL, 'c', countHits(ALL, values, { earlyExit: true }));
          assert.equal(fast.identifier, exact.identifier);
          assert.deepEqual(fast.qualified, exact.qualified);
          assert.deepEqual(fast.tags, exact.tags);
          for (const [id, r] of Object.entries(fast.hitRates)) assert.equal(r, exact.hitRates[id]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stops testing an identifier once it can no longer qualify', () => {
    const values = column(100, 0);
    const hits = countHits([fiveDigits], values, { earlyExit: true });
    assert.ok(hits.dropped?.has('FIVE_DIGITS'));
    assert.equal(hits.hits.get('FIVE_DIGITS'), 0);
  });
});
