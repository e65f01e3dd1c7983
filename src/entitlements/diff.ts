/** One row of an entitlement table: its values in column order. */
export type Row = readonly string[];

/** The rows to insert into and delete from a table so that it holds exactly the desired rows. */
export interface RowDiff {
  readonly insert: readonly Row[];
  readonly delete: readonly Row[];
  /** How many distinct rows the table holds once the difference is applied. */
  readonly size: number;
}

/**
 * A key equal for two rows exactly when their values are equal, as long as one of them holds no NUL
 * character: values are joined by NUL, so such a row's key has exactly one NUL per separator and no
 * other row can produce it. Desired rows come from the PostgreSQL metadata store, whose text cannot
 * hold NUL, so a desired row is never mistaken for another (this is twice as fast as length prefixes).
 */
export function rowKey(row: Row): string {
  return row.join('\u0000');
}

/**
 * Returns what to insert and delete so a table holding `current` holds exactly `desired`. Duplicates
 * on either side count once (a platform without keys may hold a row twice: it is kept, not re-added).
 */
export function diffRows(current: Iterable<Row>, desired: Iterable<Row>): RowDiff {
  const held = new Map<string, Row>();
  for (const row of current) held.set(rowKey(row), row);
  const insert: Row[] = [];
  const wanted = new Set<string>();
  for (const row of desired) {
    const key = rowKey(row);
    if (wanted.has(key)) continue;
    wanted.add(key);
    if (!held.has(key)) insert.push(row);
  }
  const remove: Row[] = [];
  for (const [key, row] of held) if (!wanted.has(key)) remove.push(row);
  return { insert, delete: remove, size: wanted.size };
}

/** Splits rows into consecutive batches of at most `size`. */
export function batches<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Turns rows into one array per column, as `unnest($1::text[], $2::text[], ...)` takes them. */
export function columnsOf(rows: readonly Row[], width: number): string[][] {
  const columns = Array.from({ length: width }, () => new Array<string>(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let c = 0; c < width; c++) columns[c]![r] = row[c]!;
  }
  return columns;
}
