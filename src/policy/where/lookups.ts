import { tagMatches } from '../../tags/tag-match.ts';
import type { RowExpr } from '../row-expr.ts';
import { mapRowChildren, rowChildren } from './row-walk.ts';

/** A lookup table a row expression reads. */
export interface LookupTable {
  readonly schema: string;
  readonly table: string;
}

/** The columns of a data source, with their tags, that policy text is resolved against. */
export interface ResolvableTable {
  readonly columns: readonly { readonly name: string; readonly tags: readonly string[] }[];
}

/** The outcome of resolving a row expression against one data source's columns. */
export type ColumnResolution =
  | { readonly ok: true; readonly expr: RowExpr }
  | { readonly ok: false; readonly reason: string };

/** Returns the distinct lookup tables the expression reads, in order of first appearance. */
export function lookupTables(expr: RowExpr): LookupTable[] {
  const found = new Map<string, LookupTable>();
  for (const node of descendants(expr)) {
    if (node.kind === 'inLookup') {
      const key = JSON.stringify([node.schema, node.table]);
      if (!found.has(key)) found.set(key, { schema: node.schema, table: node.table });
    }
  }
  return [...found.values()];
}

/** Returns the distinct names of the protected table's columns the expression names directly (`column` nodes). */
export function columnsOf(expr: RowExpr): string[] {
  const names = new Set<string>();
  for (const node of descendants(expr)) if (node.kind === 'column') names.add(node.name);
  return [...names];
}

/**
 * Resolves `@columnTagged` to the first column carrying the tag or a descendant of it, and
 * `@columnReference` to the column of exactly that name; fails with a reason when one of them, or a
 * column named directly, does not exist on this data source (so a global policy skips it).
 */
export function resolveColumns(expr: RowExpr, table: ResolvableTable): ColumnResolution {
  const names = new Set(table.columns.map((c) => c.name));
  let reason: string | undefined;
  const resolve = (node: RowExpr): RowExpr => {
    if (reason !== undefined) return node;
    switch (node.kind) {
      case 'columnTagged': {
        const tagged = table.columns.find((c) => c.tags.some((t) => tagMatches(node.tag, t)));
        if (tagged === undefined) reason = `no column is tagged ${node.tag}`;
        return tagged === undefined ? node : { kind: 'column', name: tagged.name };
      }
      case 'columnReference':
      case 'column':
        if (!names.has(node.name)) reason = `column ${node.name} does not exist`;
        return { kind: 'column', name: node.name };
      default:
        return mapRowChildren(node, resolve);
    }
  };
  const resolved = resolve(expr);
  return reason === undefined ? { ok: true, expr: resolved } : { ok: false, reason };
}

/** Every node of the expression, the expression first. */
function* descendants(expr: RowExpr): Generator<RowExpr> {
  yield expr;
  for (const child of rowChildren(expr)) yield* descendants(child);
}
