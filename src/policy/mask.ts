import type { RowExpr, TimeUnit } from './row-expr.ts';

/**
 * A mask as a policy asks for it, before it meets a column: `Rounding` becomes a number bucket or a
 * date truncation depending on the column's type, and a custom expression is resolved per table.
 */
export type MaskSpec =
  | { readonly kind: 'hash' }
  | { readonly kind: 'null' }
  | { readonly kind: 'constant'; readonly value: string }
  | {
      readonly kind: 'regex';
      readonly pattern: string;
      readonly replacement: string;
      readonly caseInsensitive: boolean;
    }
  | { readonly kind: 'round'; readonly bucketSize?: number; readonly timePrecision?: TimeUnit }
  | { readonly kind: 'custom'; readonly expression: RowExpr };

/**
 * A mask fitted to one column. The value keeps the column's type: hash and regex apply to text, a
 * number bucket to numbers, truncation to dates and times; where the requested mask cannot apply the
 * planner chose a documented fallback (`null`).
 */
export type Mask =
  /** Hex SHA-256 of the per-table salt followed by the value's text: equal values stay equal within a table. */
  | { readonly kind: 'hash' }
  | { readonly kind: 'null' }
  /** The constant, of the column's type (checked at planning). */
  | { readonly kind: 'constant'; readonly value: string }
  | {
      readonly kind: 'regex';
      readonly pattern: string;
      readonly replacement: string;
      readonly caseInsensitive: boolean;
    }
  /** `floor(value / bucket) * bucket`. */
  | { readonly kind: 'roundNumber'; readonly bucket: number }
  /** `date_trunc(unit, value)`. */
  | { readonly kind: 'truncateTime'; readonly unit: Exclude<TimeUnit, 'minute'> | 'minute' }
  /** A custom expression over the row (text columns only), the masked column read as `column`. */
  | { readonly kind: 'custom'; readonly expression: RowExpr };

/** The broad family of a column's SQL type, which decides which masks fit it. */
export type TypeFamily =
  | 'text'
  | 'integer'
  | 'numeric'
  | 'float'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'other';

/** Returns the type family of a platform column type as the crawl recorded it (`character varying(20)`...). */
export function typeFamily(dataType: string): TypeFamily {
  const t = dataType.toLowerCase().trim();
  if (/^(text|character varying|varchar|character|char|bpchar|citext|name|string)\b/.test(t)) return 'text';
  if (/^(smallint|integer|int|int2|int4|int8|bigint|tinyint)\b/.test(t)) return 'integer';
  if (/^(numeric|decimal)\b/.test(t)) return 'numeric';
  if (/^(real|double precision|float|float4|float8|double)\b/.test(t)) return 'float';
  if (/^(boolean|bool)\b/.test(t)) return 'boolean';
  if (/^date$/.test(t)) return 'date';
  if (/^timestamp\b/.test(t)) return 'timestamp';
  return 'other';
}
