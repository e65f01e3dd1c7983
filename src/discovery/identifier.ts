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
  /**
   * The column type families (`text`, `integer`, `decimal`, `date`, `timestamp`...) whose values a value
   * identifier is tested on, the values read as text. Defaults to `text` only.
   */
  readonly dataTypes: readonly string[];
  /** True for the built-in pack: built-in identifiers cannot be edited or deleted. */
  readonly builtIn: boolean;
}

/** The type families a value identifier is tested on unless it names its own. */
export const DEFAULT_DATA_TYPES: readonly string[] = Object.freeze(['text']);

/** The share of a column's sampled non-null values an identifier must match to qualify (the reference's 90 %). */
export const QUALIFYING_RATE = 0.9;

/** The fields of an identifier a caller provides; `inPlatform` is derived unless given. */
export type IdentifierSpec = Omit<Identifier, 'inPlatform' | 'tags' | 'values' | 'dataTypes' | 'builtIn'> & {
  readonly tags: readonly string[];
  readonly values?: readonly string[];
  readonly inPlatform?: boolean;
  readonly dataTypes?: readonly string[];
  readonly builtIn?: boolean;
};

/**
 * Returns a frozen identifier; `inPlatform` defaults to true unless a validator is named, `dataTypes`
 * to text only, `builtIn` to false.
 */
export function identifier(spec: IdentifierSpec): Identifier {
  const base = {
    ...spec,
    tags: Object.freeze([...spec.tags]),
    inPlatform: spec.inPlatform ?? spec.validator === undefined,
    dataTypes: Object.freeze([...(spec.dataTypes ?? DEFAULT_DATA_TYPES)]),
    builtIn: spec.builtIn ?? false,
  };
  if (spec.values !== undefined) return Object.freeze({ ...base, values: Object.freeze([...spec.values]) });
  return Object.freeze(base);
}
