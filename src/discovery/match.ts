import type { Identifier } from './identifier.ts';
import {
  admits,
  classesOf,
  dictionaryPrefilter,
  NON_ASCII_CLASSES,
  type Prefilter,
  patternPrefilter,
  UPPER_CASE_CLASSES,
  type ValueShape,
} from './prefilter.ts';
import { VALIDATORS } from './validators.ts';

const compiled = new WeakMap<Identifier, RegExp>();

/**
 * The whitespace trimmed from both ends of a value before it is tested: ASCII only, so the platform's
 * `btrim(value, chars)` trims exactly the same characters.
 */
export const TRIMMED_CHARACTERS = ' \t\n\r\f\v';

const EDGE_SPACE = /^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g;

/** Trims ASCII whitespace from both ends, as the platform's `btrim` with TRIMMED_CHARACTERS does. */
export function trimValue(value: string): string {
  return value.replace(EDGE_SPACE, '');
}

const UPPER = /[A-Z]+/g;

/**
 * Lower-cases ASCII letters only: dictionaries compare case-folded this way in memory and in the
 * platform (`lower(value COLLATE "C")`), so both agree whatever the database's locale.
 */
export function foldCase(value: string): string {
  return value.replace(UPPER, (s) => s.toLowerCase());
}
const dictionaries = new WeakMap<Identifier, ReadonlySet<string>>();

/** Returns the compiled, cached RegExp of an identifier's pattern. */
export function regexOf(identifier: Identifier): RegExp {
  let regex = compiled.get(identifier);
  if (regex === undefined) {
    regex = new RegExp(identifier.pattern, identifier.caseInsensitive ? 'i' : '');
    compiled.set(identifier, regex);
  }
  return regex;
}

const dictionaryOf = (identifier: Identifier): ReadonlySet<string> => {
  let set = dictionaries.get(identifier);
  if (set === undefined) {
    const values = identifier.values ?? [];
    set = new Set(identifier.caseInsensitive ? values.map(foldCase) : values);
    dictionaries.set(identifier, set);
  }
  return set;
};

// Bound once: a module loaded as CommonJS (as tsx loads it) would otherwise reach each import through a
// getter on every call, for every value tested.
const classesOfText = classesOf;
const UPPER_CLASSES = UPPER_CASE_CLASSES;
const NON_ASCII = NON_ASCII_CLASSES;

/** Whether a code unit is one of TRIMMED_CHARACTERS (tab, line feed, vertical tab, form feed, carriage return, space). */
const isTrimmed = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/**
 * A value prepared once to be tested against many identifiers: trimmed as {@link trimValue} does, with
 * its length and kinds of characters for the prefilters, and case-folded on first need.
 */
export class PreparedValue implements ValueShape {
  readonly text: string;
  readonly length: number;
  readonly classes: number;
  #folded: string | undefined;

  constructor(value: string) {
    const n = value.length;
    const edge = n > 0 && (isTrimmed(value.charCodeAt(0)) || isTrimmed(value.charCodeAt(n - 1)));
    this.text = edge ? trimValue(value) : value;
    this.length = this.text.length;
    this.classes = classesOfText(this.text);
  }

  /** Returns the trimmed text with ASCII letters lower-cased, as {@link foldCase} does. */
  folded(): string {
    if (this.#folded === undefined) {
      if ((this.classes & UPPER_CLASSES) === 0) this.#folded = this.text;
      else if ((this.classes & NON_ASCII) === 0) this.#folded = this.text.toLowerCase();
      else this.#folded = foldCase(this.text);
    }
    return this.#folded;
  }
}

/** Tests a prepared value against one identifier. */
export type ValueTest = (value: PreparedValue) => boolean;

/**
 * An identifier's value test, compiled: `test` gives {@link matchValue}'s answer; `filter`, when not
 * null, is a necessary condition a caller may check first to skip `test` (see prefilter.ts).
 */
export interface CompiledTest {
  readonly filter: Prefilter | null;
  readonly test: ValueTest;
}

const tests = new WeakMap<Identifier, CompiledTest>();
const never: CompiledTest = { filter: null, test: () => false };

/** Returns an identifier's compiled, cached value test. */
export function compiledTestOf(identifier: Identifier): CompiledTest {
  let compiledTest = tests.get(identifier);
  if (compiledTest === undefined) {
    compiledTest = compileTest(identifier);
    tests.set(identifier, compiledTest);
  }
  return compiledTest;
}

function compileTest(identifier: Identifier): CompiledTest {
  switch (identifier.kind) {
    case 'valueRegex': {
      const regex = regexOf(identifier);
      const validate = identifier.validator === undefined ? undefined : VALIDATORS[identifier.validator];
      return {
        filter: patternPrefilter(identifier.pattern, identifier.caseInsensitive),
        test:
          validate === undefined ? (v) => regex.test(v.text) : (v) => regex.test(v.text) && validate(v.text),
      };
    }
    case 'dictionary': {
      const set = dictionaryOf(identifier);
      return {
        filter: dictionaryPrefilter(identifier.values ?? [], identifier.caseInsensitive),
        test: identifier.caseInsensitive ? (v) => set.has(v.folded()) : (v) => set.has(v.text),
      };
    }
    case 'columnName':
      return never;
    default:
      return assertNever(identifier.kind);
  }
}

/**
 * Returns whether a value matches a value identifier: the anchored regex and then the validator for
 * `valueRegex`, membership (trimmed, case-folded when case-insensitive) for `dictionary`; always false
 * for `columnName` identifiers.
 */
export function matchValue(identifier: Identifier, value: string): boolean {
  const { filter, test } = compiledTestOf(identifier);
  const prepared = new PreparedValue(value);
  return (filter === null || admits(filter, prepared)) && test(prepared);
}

/** Returns whether a column name matches a `columnName` identifier; false for other kinds. */
export function matchColumnName(identifier: Identifier, name: string): boolean {
  return identifier.kind === 'columnName' && regexOf(identifier).test(trimValue(name));
}

function assertNever(value: never): never {
  throw new Error(`unexpected identifier kind ${String(value)}`);
}
