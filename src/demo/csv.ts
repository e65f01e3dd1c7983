/** A value COPY can take from CSV: text, a number, or SQL NULL. */
export type CsvValue = string | number | null;

const field = (value: CsvValue): string => {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  // Always quoted, so an empty string stays distinct from NULL (an unquoted empty field).
  return `"${value.replaceAll('"', '""')}"`;
};

/** Returns the rows as CSV (no header) in the given column order, as `COPY ... WITH (FORMAT csv)` reads it. */
export function toCsv<Row extends Record<keyof Row, CsvValue>>(
  rows: readonly Row[],
  columns: readonly (keyof Row)[],
): string {
  let out = '';
  for (const row of rows) out += `${columns.map((c) => field(row[c])).join(',')}\n`;
  return out;
}
