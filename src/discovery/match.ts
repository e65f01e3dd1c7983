import type { Identifier } from './identifier.ts';
import { VALIDATORS } from './validators.ts';

const compiled = new WeakMap<Identifier, RegExp>();
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
    set = new Set(identifier.caseInsensitive ? values.map((v) => v.toLowerCase()) : values);
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
      const candidate = value.trim();
      if (!regexOf(identifier).test(candidate)) return false;
      return identifier.validator === undefined || VALIDATORS[identifier.validator](candidate);
    }
    case 'dictionary': {
      const candidate = value.trim();
      return dictionaryOf(identifier).has(identifier.caseInsensitive ? candidate.toLowerCase() : candidate);
    }
    case 'columnName':
      return false;
    default:
      return assertNever(identifier.kind);
  }
}

/** Returns whether a column name matches a `columnName` identifier; false for other kinds. */
export function matchColumnName(identifier: Identifier, name: string): boolean {
  return identifier.kind === 'columnName' && regexOf(identifier).test(name.trim());
}

function assertNever(value: never): never {
  throw new Error(`unexpected identifier kind ${String(value)}`);
}
