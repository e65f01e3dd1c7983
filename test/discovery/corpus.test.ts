/**
 * Column-level quality of the built-in identifier pack on the labelled corpus
 * (test/fixtures/discovery/corpus.json, written by generate-corpus.ts).
 *
 * Each column's values are counted in memory against the value identifiers of its type family and
 * classified by competitive pattern analysis. A column is correct when the winning identifier's
 * `Discovered.Entity.*` tags equal those of the expected identifier, so identifiers that apply the same
 * entity tags are equivalent (PHONE_NUMBER_NANP for PHONE_NUMBER_E164; country tags do not count);
 * a column labelled null is correct when nothing wins. Precision = correct / columns with a winner;
 * recall = correct / columns with an expected identifier.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_IDENTIFIERS } from '../../src/discovery/builtin-identifiers.ts';
import {
  CHALLENGES,
  classify,
  loadCorpus,
  precision,
  recall,
  scoreCorpus,
} from '../fixtures/discovery/corpus.ts';

const corpus = loadCorpus();
const describeMisses = (misses: ReturnType<typeof scoreCorpus>['misses']): string =>
  misses.map((m) => `${m.column}: expected ${m.expected}, got ${m.actual}`).join('\n');

describe('the discovery corpus', () => {
  it('has at least 300 realistic columns of 40 to 1,000 rows, hard negatives of every kind among them', () => {
    assert.ok(corpus.columns.length >= 300, `${corpus.columns.length} columns`);
    for (const c of corpus.columns)
      assert.ok(c.values.length >= 40 && c.values.length <= 1000, `${c.table}.${c.column}`);
    const present = new Set(corpus.columns.map((c) => c.challenge));
    for (const challenge of CHALLENGES) assert.ok(present.has(challenge), `no ${challenge} column`);
    const negatives = (challenge: string) =>
      corpus.columns.filter((c) => c.challenge === challenge && c.expected === null).length;
    for (const hard of [
      'phone-shaped-order-number',
      'luhn-failing-16-digit',
      'comment-mentioning-email',
      'postal-shaped-product-code',
      'mostly-null',
      'mixed-format',
    ]) {
      assert.ok(negatives(hard) >= 3, `fewer than three negative ${hard} columns`);
    }
    assert.ok(corpus.columns.filter((c) => c.expected === null).length >= 120);
  });

  it('labels each built-in value identifier on at least three columns and names only known identifiers', () => {
    const known = new Set(BUILTIN_IDENTIFIERS.map((i) => i.id));
    for (const c of corpus.columns) if (c.expected !== null) assert.ok(known.has(c.expected), c.expected);
    for (const identifier of BUILTIN_IDENTIFIERS.filter((i) => i.kind !== 'columnName')) {
      const labelled = corpus.columns.filter((c) => c.expected === identifier.id).length;
      assert.ok(labelled >= 3, `${identifier.id} labels ${labelled} columns`);
    }
  });

  it('classifies columns with precision of at least 0.97 and recall of at least 0.95', () => {
    const { overall, misses } = scoreCorpus(BUILTIN_IDENTIFIERS, corpus);
    assert.ok(precision(overall) >= 0.97, `precision ${precision(overall)}\n${describeMisses(misses)}`);
    assert.ok(recall(overall) >= 0.95, `recall ${recall(overall)}\n${describeMisses(misses)}`);
  });

  it('finds each built-in value identifier in some of the columns labelled with it', () => {
    const { byIdentifier } = scoreCorpus(BUILTIN_IDENTIFIERS, corpus);
    for (const identifier of BUILTIN_IDENTIFIERS.filter((i) => i.kind !== 'columnName')) {
      const tally = byIdentifier.get(identifier.id);
      assert.ok(tally && recall(tally) > 0, `${identifier.id} is never found`);
    }
  });

  it('reaches the same verdict on every column with early exit as with exact counting', () => {
    for (const column of corpus.columns) {
      const exact = classify(BUILTIN_IDENTIFIERS, column);
      const early = classify(BUILTIN_IDENTIFIERS, column, { earlyExit: true });
      const name = `${column.table}.${column.column}`;
      assert.equal(early.identifier, exact.identifier, name);
      assert.deepEqual(early.qualified, exact.qualified, name);
      assert.deepEqual(early.tags, exact.tags, name);
      assert.equal(early.sampled, exact.sampled, name);
    }
  });
});
