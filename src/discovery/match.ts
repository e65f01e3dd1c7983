import type { Identifier } from './identifier.ts';
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

/**
 * Returns whether a value matches a value identifier: the anchored regex and then the validator for
 * `valueRegex`, membership (trimmed, case-folded when case-insensitive) for `dictionary`; always false
 * for `columnName` identifiers.
 */
export function matchValue(identifier: Identifier, value: string): boolean {
  switch (identifier.kind) {
    case 'valueRegex': {
      const candidate = trimValue(value);
      if (!regexOf(identifier).test(candidate)) return false;
      return identifier.validator === undefined || VALIDATORS[identifier.validator](candidate);
    }
    case 'dictionary': {
      const candidate = trimValue(value);
      return dictionaryOf(identifier).has(identifier.caseInsensitive ? foldCase(candidate) : candidate);
    }
    case 'columnName':
      return false;
    default:
      return assertNever(identifier.kind);
  }
}

/** Returns whether a column name matches a `columnName` identifier; false for other kinds. */
export function matchColumnName(identifier: Identifier, name: string): boolean {
  return identifier.kind === 'columnName' && regexOf(identifier).test(trimValue(name));
}

function assertNever(value: never): never {
  throw new Error(`unexpected identifier kind ${String(value)}`);
}
