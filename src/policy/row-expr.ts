import type { Condition } from './condition.ts';

/**
 * Row expressions: what row filters, conditional masks and custom masks are made of. They read the
 * row's columns and the subject's facts; each platform compiles them to SQL and the reference
 * evaluator runs them in TypeScript with SQL's three-valued logic. Immutable, discriminated by `kind`.
 *
 * `columnTagged` and `columnReference` appear only in parsed policy text: planning resolves them
 * against one data source's columns into `column` nodes (or skips the policy there).
 */
export type RowExpr =
  /** A column of the protected table. */
  | { readonly kind: 'column'; readonly name: string }
  /** `@columnTagged('Tag')`: the column carrying the tag; resolved per data source. */
  | { readonly kind: 'columnTagged'; readonly tag: string }
  /** `@columnReference('Name')`: a column of the protected table by exact name; resolved per data source. */
  | { readonly kind: 'columnReference'; readonly name: string }
  /** A column of the lookup table inside an `inLookup` filter. */
  | { readonly kind: 'lookupColumn'; readonly name: string }
  /** A constant. Numbers are finite; decimals keep their text form in `numeric`. */
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  /** The subject's platform user name (`@username`). */
  | { readonly kind: 'username' }
  /** A fact about the subject only, the same for every row (`@isInGroups('A')`). */
  | { readonly kind: 'subject'; readonly condition: Condition }
  /**
   * True when `value` is one of the subject's values (`@attributeValuesContains`, `@groupsContains`).
   * With a placeholder, a subject holding no value compares against the placeholder instead.
   */
  | {
      readonly kind: 'inSubjectValues';
      readonly value: RowExpr;
      readonly source: SubjectValues;
      readonly placeholder?: string;
    }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: RowExpr; readonly right: RowExpr }
  | {
      readonly kind: 'inList';
      readonly value: RowExpr;
      readonly items: readonly RowExpr[];
      readonly negated: boolean;
    }
  | { readonly kind: 'isNull'; readonly value: RowExpr; readonly negated: boolean }
  | {
      readonly kind: 'like';
      readonly value: RowExpr;
      readonly pattern: RowExpr;
      readonly caseInsensitive: boolean;
      readonly negated: boolean;
    }
  | { readonly kind: 'and'; readonly items: readonly RowExpr[] }
  | { readonly kind: 'or'; readonly items: readonly RowExpr[] }
  | { readonly kind: 'not'; readonly item: RowExpr }
  | { readonly kind: 'arith'; readonly op: ArithOp; readonly left: RowExpr; readonly right: RowExpr }
  | { readonly kind: 'concat'; readonly items: readonly RowExpr[] }
  | { readonly kind: 'call'; readonly fn: RowFunction; readonly args: readonly RowExpr[] }
  | { readonly kind: 'cast'; readonly value: RowExpr; readonly type: CastType }
  /**
   * `value IN (SELECT column FROM schema.table [WHERE filter])` over a fully qualified lookup table
   * in the same database; `filter` reads `lookupColumn`s and subject facts.
   */
  | {
      readonly kind: 'inLookup';
      readonly value: RowExpr;
      readonly schema: string;
      readonly table: string;
      readonly column: string;
      readonly filter?: RowExpr;
      readonly negated: boolean;
    }
  /** Minimization: true for a stable `percent` of rows, chosen by a hash of `key`. */
  | { readonly kind: 'sample'; readonly percent: number; readonly key: RowExpr }
  /** Time restriction: the column's time is within (`newer`) or beyond (`older`) `amount` units of now. */
  | {
      readonly kind: 'timeWindow';
      readonly column: RowExpr;
      readonly direction: 'newer' | 'older';
      readonly amount: number;
      readonly unit: TimeUnit;
    };

/** A list of values the subject holds. */
export type SubjectValues =
  | { readonly kind: 'attribute'; readonly key: string }
  | { readonly kind: 'groups' }
  | { readonly kind: 'purposes' };

/** Comparison operators a row expression may use. */
export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';
/** Arithmetic operators a row expression may use. */
export type ArithOp = '+' | '-' | '*' | '/' | '%';
/** Functions a row expression may call: the allowlist, each with one meaning on every platform. */
export type RowFunction =
  | 'lower'
  | 'upper'
  | 'length'
  | 'coalesce'
  | 'left'
  | 'right'
  | 'substr'
  | 'trim'
  | 'abs'
  | 'nullif';
/** Types a row expression may cast to. */
export type CastType = 'text' | 'integer' | 'bigint' | 'numeric' | 'boolean' | 'date' | 'timestamp';
/** Units of a time restriction and of date rounding. */
export type TimeUnit = 'minute' | 'hour' | 'day' | 'month' | 'quarter' | 'year';

/** A column of the protected table. */
export const column = (name: string): RowExpr => ({ kind: 'column', name });
/** A constant. */
export const literal = (value: string | number | boolean | null): RowExpr => ({ kind: 'literal', value });
/** A subject-only fact as a row expression. */
export const subjectFact = (condition: Condition): RowExpr => ({ kind: 'subject', condition });
/** `left op right`. */
export const compare = (op: CompareOp, left: RowExpr, right: RowExpr): RowExpr => ({
  kind: 'compare',
  op,
  left,
  right,
});
/** True when the value is one of the subject's values of `source`. */
export const inSubjectValues = (value: RowExpr, source: SubjectValues, placeholder?: string): RowExpr =>
  placeholder === undefined
    ? { kind: 'inSubjectValues', value, source }
    : { kind: 'inSubjectValues', value, source, placeholder };
/** Conjunction of row expressions (one item is itself; none is TRUE). */
export const andRows = (...items: readonly RowExpr[]): RowExpr =>
  items.length === 1 ? (items[0] as RowExpr) : items.length === 0 ? literal(true) : { kind: 'and', items };
/** Disjunction of row expressions (one item is itself; none is FALSE). */
export const orRows = (...items: readonly RowExpr[]): RowExpr =>
  items.length === 1 ? (items[0] as RowExpr) : items.length === 0 ? literal(false) : { kind: 'or', items };
/** Negation. */
export const notRow = (item: RowExpr): RowExpr => ({ kind: 'not', item });
