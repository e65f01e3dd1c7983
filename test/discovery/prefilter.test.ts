import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BUILTIN_IDENTIFIERS } from '../../src/discovery/builtin-identifiers.ts';
import type { Identifier } from '../../src/discovery/identifier.ts';
import { foldCase, matchValue, regexOf, trimValue } from '../../src/discovery/match.ts';
import {
  admits,
  classesOf,
  dictionaryPrefilter,
  type Prefilter,
  patternPrefilter,
} from '../../src/discovery/prefilter.ts';
import { VALIDATORS } from '../../src/discovery/validators.ts';
import { loadCorpus } from '../fixtures/discovery/corpus.ts';

const shape = (text: string) => ({ length: text.length, classes: classesOf(text) });
const admitted = (filter: Prefilter | null, text: string): boolean =>
  filter === null || admits(filter, shape(text));

/** Returns the matching rule without any prefilter, as the platform evaluates it. */
function reference(identifier: Identifier): (value: string) => boolean {
  if (identifier.kind === 'dictionary') {
    const values = new Set(
      (identifier.values ?? []).map((v) => (identifier.caseInsensitive ? foldCase(v) : v)),
    );
    return (value) => values.has(identifier.caseInsensitive ? foldCase(trimValue(value)) : trimValue(value));
  }
  const regex = new RegExp(identifier.pattern, identifier.caseInsensitive ? 'i' : '');
  const validate = identifier.validator === undefined ? () => true : VALIDATORS[identifier.validator];
  return (value) => regex.test(trimValue(value)) && validate(trimValue(value));
}

/** Returns strings fast-check generates to match the pattern where it can, and short random strings. */
function candidates(pattern: string): fc.Arbitrary<string> {
  const alphabet = fc.constantFrom(...'aAbBzZxX09_-.@ \t\n]\\{}|()+éÉÀÿßſµK中'.split(''), '😀');
  const random = fc.string({ unit: alphabet, maxLength: 12 });
  try {
    const matching = fc.stringMatching(new RegExp(pattern));
    fc.sample(matching, 1);
    return fc.oneof(matching, random);
  } catch {
    return random;
  }
}

/** Flips the case of some ASCII letters, as values of case-insensitive identifiers may have them. */
const flipCase = (text: string, seed: number): string =>
  [...text].map((c, i) => ((seed >> (i % 31)) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');

const regexIdentifiers = BUILTIN_IDENTIFIERS.filter((i) => i.kind === 'valueRegex');

/** Patterns exercising the syntax the prefilter reads, matched with and without the `i` flag. */
const SYNTAX = [
  String.raw`^\d{3}-\w+\s?$`,
  String.raw`^[^@]+@[a-z]+\.(?:com|org)$`,
  '^.{2,5}x$',
  String.raw`^[\]\-a]+[a-\d]?$`,
  String.raw`^\x41\u00e9[À-ÿ]*ß?$`,
  '^(?:ab|c(?:d|e{2,}))+?z*$',
  String.raw`^\bword\Bs\.\+\(\)\{\}\|$`,
  String.raw`^a{2}b{1,}c{0,3}\t\n\0$`,
  String.raw`^[\d\s_]{3,}[\D]$`,
  '^(x)(?:y|)z{$',
];

describe('identifier prefilters', () => {
  it('never reject a value a built-in pattern matches', () => {
    for (const identifier of regexIdentifiers) {
      const filter = patternPrefilter(identifier.pattern, identifier.caseInsensitive);
      assert.ok(filter, `${identifier.id} has no prefilter`);
      const regex = regexOf(identifier);
      fc.assert(
        fc.property(fc.stringMatching(new RegExp(identifier.pattern)), fc.integer(), (text, seed) => {
          for (const candidate of identifier.caseInsensitive ? [text, flipCase(text, seed)] : [text]) {
            if (regex.test(candidate))
              assert.ok(admits(filter, shape(candidate)), `${identifier.id}: ${candidate}`);
          }
        }),
        { numRuns: 200 },
      );
    }
  });

  it('admit every entry of a dictionary, in any case when it is case-insensitive', () => {
    for (const identifier of BUILTIN_IDENTIFIERS.filter((i) => i.kind === 'dictionary')) {
      const filter = dictionaryPrefilter(identifier.values ?? [], identifier.caseInsensitive);
      for (const value of identifier.values ?? []) {
        const upper = value.replace(/[a-z]+/g, (s) => s.toUpperCase());
        const variants = identifier.caseInsensitive ? [value, upper, foldCase(value)] : [value];
        for (const v of variants) assert.ok(admits(filter, shape(v)), `${identifier.id}: ${v}`);
      }
    }
  });

  it('never reject a string that a pattern of the supported syntax matches', () => {
    for (const pattern of SYNTAX) {
      for (const flags of ['', 'i']) {
        const regex = new RegExp(pattern, flags);
        const filter = patternPrefilter(pattern, flags === 'i');
        assert.ok(filter, pattern);
        fc.assert(
          fc.property(candidates(pattern), fc.integer(), (text, seed) => {
            for (const candidate of [text, flipCase(text, seed)]) {
              if (regex.test(candidate))
                assert.ok(admits(filter, shape(candidate)), `${pattern}/${flags}: ${candidate}`);
            }
          }),
          { numRuns: 300 },
        );
      }
    }
  });

  it('decline patterns whose meaning they do not follow', () => {
    for (const pattern of [
      'abc',
      '^abc',
      '^a|b$',
      '^(?=a)a$',
      '^(?!b)a$',
      '^(a)\\1$',
      '^a^b$',
      '^a$b$',
      '^[]a$',
      '^a\\$',
      '^\\cJ$',
    ]) {
      assert.equal(patternPrefilter(pattern, false), null, pattern);
    }
  });

  it('reject on length, on a character no match holds, and on a missing required character', () => {
    const email = patternPrefilter(String.raw`^[a-z]+@[a-z]+\.[a-z]{2,3}$`, false)!;
    assert.equal(admitted(email, 'jo@ex.io'), true);
    assert.equal(admitted(email, 'jo@ex'), false, 'no required dot');
    assert.equal(admitted(email, 'jo ex.io'), false, 'no required @, and a space');
    assert.equal(admitted(email, 'JO@EX.IO'), false, 'upper case letters');
    assert.equal(admitted(email, 'a@b.c'), false, 'shorter than 6');
    const ignoringCase = patternPrefilter(String.raw`^[a-z]+@[a-z]+\.[a-z]{2,3}$`, true)!;
    assert.equal(admitted(ignoringCase, 'JO@EX.IO'), true);
  });

  it('leave every built-in identifier matching exactly as the rule without prefilter on the corpus values', () => {
    const values = new Set<string>();
    for (const column of loadCorpus().columns) for (const v of column.values) if (v !== null) values.add(v);
    for (const identifier of BUILTIN_IDENTIFIERS.filter((i) => i.kind !== 'columnName')) {
      const matches = reference(identifier);
      for (const value of values) {
        if (matchValue(identifier, value) !== matches(value)) {
          assert.fail(`${identifier.id} disagrees on ${JSON.stringify(value)}`);
        }
      }
    }
  });
});
