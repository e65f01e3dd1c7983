/** Where printed text goes: stdout or stderr in the CLI, a buffer in tests. */
export interface TextSink {
  write(text: string): unknown;
}

/** A cell value; null and undefined print as `-`. */
export type Cell = string | number | boolean | null | undefined;

/** One column of a table: its header and how to get its cell from a row. */
export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => Cell;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]+/g;

/** Prints a value as one JSON document, for `--json`. */
export function printJson(out: TextSink, value: unknown): void {
  out.write(JSON.stringify(value, null, 2) + '\n');
}

/** Renders a cell on one line, with control characters (which could drive the terminal) removed. */
export function cellText(value: Cell): string {
  if (value === null || value === undefined || value === '') return '-';
  return String(value).replace(CONTROL_CHARACTERS, ' ').trim();
}

/** Prints rows as a table with aligned columns, or `empty` when there are no rows. */
export function printTable<T>(
  out: TextSink,
  columns: ReadonlyArray<Column<T>>,
  rows: readonly T[],
  empty: string,
): void {
  if (rows.length === 0) {
    out.write(empty + '\n');
    return;
  }
  const cells = rows.map((row) => columns.map((c) => cellText(c.cell(row))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd() + '\n';
  out.write(line(columns.map((c) => c.header)));
  for (const row of cells) out.write(line(row));
}

/** Prints `label: value` lines with the values aligned. */
export function printFields(out: TextSink, fields: ReadonlyArray<readonly [string, Cell]>): void {
  const width = Math.max(...fields.map(([label]) => label.length)) + 1;
  for (const [label, value] of fields) out.write(`${(label + ':').padEnd(width)} ${cellText(value)}\n`);
}

/** Shortens an ISO timestamp for tables (no milliseconds); null stays null. */
export function shortTime(iso: string | null): string | null {
  return iso === null ? null : iso.replace(/\.\d+(?=Z$)/, '');
}
