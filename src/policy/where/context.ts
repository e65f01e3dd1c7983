import type { Node } from 'libpg-query';
import type { RowExpr } from '../row-expr.ts';

/**
 * Where an expression is being read: the protected table's row, or the WHERE of a lookup subquery
 * whose columns may be qualified by one of `qualifiers` (the table's alias, or its name).
 */
export type Scope =
  | { readonly kind: 'row' }
  | { readonly kind: 'lookup'; readonly qualifiers: readonly string[] };

/**
 * What each translation step needs: the scope, a way to reject a node with a message quoting its text,
 * and the recursive entry points (passed in rather than imported, so node handlers form no import cycle).
 */
export interface TranslateContext {
  readonly scope: Scope;
  /** Throws the `POLICY_WHERE_INVALID` error quoting the node's text followed by `reason`. */
  reject(node: Node | undefined, reason: string): never;
  /** Translates a node that must be a condition (true, false or NULL). */
  predicate(node: Node | undefined): RowExpr;
  /** Translates a node that must be a value, not a condition. */
  value(node: Node | undefined): RowExpr;
  /** Translates a node that may be a condition or a value. */
  any(node: Node | undefined): RowExpr;
  /** The same context reading inside another scope. */
  within(scope: Scope): TranslateContext;
}
