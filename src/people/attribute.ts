import { identityTextProblem } from './text.ts';

/** Longest attribute key, in characters. */
export const MAX_ATTRIBUTE_KEY = 128;

/** Longest attribute value, in characters. */
export const MAX_ATTRIBUTE_VALUE = 256;

/** A user's attributes: each key with its values. */
export type Attributes = Readonly<Record<string, readonly string[]>>;

/** Attributes as Steward returns them: keys and values sorted, no duplicates, no empty keys. */
export type SortedAttributes = Record<string, string[]>;

/** Returns why a string cannot be an attribute key (`Region`, `Department`), or undefined when it can. */
export function attributeKeyProblem(key: string): string | undefined {
  return identityTextProblem(key, MAX_ATTRIBUTE_KEY);
}

/**
 * Returns why a string cannot be an attribute value, or undefined when it can. Values may be dotted
 * hierarchies (`sales.emea`); `*` stands for "everything below" and is only allowed as the whole last
 * segment (`sales.*`), so a later policy never has to guess what `sa*les` means.
 */
export function attributeValueProblem(value: string): string | undefined {
  const problem = identityTextProblem(value, MAX_ATTRIBUTE_VALUE);
  if (problem) return problem;
  const segments = value.split('.');
  if (segments.slice(0, -1).some((s) => s.includes('*')) || /.\*|\*./.test(segments.at(-1) ?? '')) {
    return 'may use * only as the whole last dotted segment (sales.*)';
  }
  return undefined;
}

/** Builds the attributes of a user from its rows, keys and values in code-point order. */
export function attributesFromRows(
  rows: ReadonlyArray<{ readonly attribute_key: string; readonly attribute_value: string }>,
): SortedAttributes {
  const out: Record<string, string[]> = {};
  for (const row of rows) {
    const values = out[row.attribute_key] ?? [];
    values.push(row.attribute_value);
    out[row.attribute_key] = values;
  }
  return normalizeAttributes(out);
}

/** Returns the same attributes with keys and values sorted, duplicate values and empty keys dropped. */
export function normalizeAttributes(attributes: Attributes): SortedAttributes {
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(attributes).sort(byCodePoint)) {
    const values = [...new Set(attributes[key])].sort(byCodePoint);
    if (values.length > 0) out[key] = values;
  }
  return out;
}

/** Lists the (key, value) pairs of attributes. */
export function attributePairs(attributes: Attributes): Array<readonly [string, string]> {
  return Object.entries(attributes).flatMap(([key, values]) => values.map((v) => [key, v] as const));
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
