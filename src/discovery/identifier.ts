import type { ValidatorName } from './validators.ts';

/** How an identifier recognises sensitive data: by value pattern, by column name, or by a list of values. */
export type IdentifierKind = 'valueRegex' | 'columnName' | 'dictionary';

/**
 * A rule that recognises one kind of sensitive data and the tags it applies. Patterns are anchored
 * (`^...$`) and written in the common subset of JavaScript and PostgreSQL ARE syntax (no lookaround,
 * no backreferences, bounds of at most 255) so the platform can evaluate them.
 */
export interface Identifier {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly kind: IdentifierKind;
  /** The anchored value regex (`valueRegex`), column-name regex (`columnName`), or '' (`dictionary`). */
  readonly pattern: string;
  readonly caseInsensitive: boolean;
  /** A validator every value matching `pattern` must also pass. */
  readonly validator?: ValidatorName;
  /** The accepted values of a `dictionary` identifier. */
  readonly values?: readonly string[];
  /** Tags applied on a match, under `Discovered.Entity.*` and `Discovered.Country.*`. */
  readonly tags: readonly string[];
  /** Higher is more specific: among qualifying competitive identifiers the most specific wins. */
  readonly specificity: number;
  /** Whether the platform's SQL can evaluate the identifier faithfully (false when a validator is needed). */
  readonly inPlatform: boolean;
}

/** The fields of an identifier a caller provides; `inPlatform` is derived unless given. */
export type IdentifierSpec = Omit<Identifier, 'inPlatform' | 'tags' | 'values'> & {
  readonly tags: readonly string[];
  readonly values?: readonly string[];
  readonly inPlatform?: boolean;
};

/** Returns a frozen identifier; `inPlatform` defaults to true unless a validator is named. */
export function identifier(spec: IdentifierSpec): Identifier {
  const base = {
    ...spec,
    tags: Object.freeze([...spec.tags]),
    inPlatform: spec.inPlatform ?? spec.validator === undefined,
  };
  if (spec.values !== undefined) return Object.freeze({ ...base, values: Object.freeze([...spec.values]) });
  return Object.freeze(base);
}
