import type { AppError } from '../../errors/index.ts';
import { findAttribute, type ScimAttribute } from '../attribute-model.ts';
import { assertNever, type CompareOp, type FilterNode, type FilterValue, pathText } from './ast.ts';

function memberOf(element: Record<string, unknown>, name: string): unknown {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(element)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

function order(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareStrings(actual: string, op: CompareOp, expected: string, caseExact: boolean): boolean {
  const a = caseExact ? actual : actual.toLowerCase();
  const e = caseExact ? expected : expected.toLowerCase();
  switch (op) {
    case 'eq':
      return a === e;
    case 'ne':
      return a !== e;
    case 'co':
      return a.includes(e);
    case 'sw':
      return a.startsWith(e);
    case 'ew':
      return a.endsWith(e);
    case 'gt':
      return order(a, e) > 0;
    case 'ge':
      return order(a, e) >= 0;
    case 'lt':
      return order(a, e) < 0;
    case 'le':
      return order(a, e) <= 0;
    default:
      return assertNever(op);
  }
}

const ORDERED: Partial<Record<CompareOp, (sign: number) => boolean>> = {
  eq: (c) => c === 0,
  ne: (c) => c !== 0,
  gt: (c) => c > 0,
  ge: (c) => c >= 0,
  lt: (c) => c < 0,
  le: (c) => c <= 0,
};

function compare(
  actual: unknown,
  op: CompareOp,
  expected: FilterValue,
  attr: ScimAttribute | undefined,
): boolean {
  const missing = actual === undefined || actual === null;
  if (expected === null) return op === 'eq' ? missing : op === 'ne' ? !missing : false;
  if (missing) return op === 'ne';
  if (typeof actual === 'boolean' || attr?.type === 'boolean') {
    const a = String(actual).toLowerCase() === 'true';
    const e = String(expected).toLowerCase() === 'true';
    return op === 'eq' ? a === e : op === 'ne' ? a !== e : false;
  }
  const ordered = ORDERED[op];
  if (ordered && typeof actual === 'number' && typeof expected === 'number') {
    return ordered(order(actual, expected));
  }
  if (ordered && attr?.type === 'dateTime') {
    const a = Date.parse(String(actual));
    const e = Date.parse(String(expected));
    if (!Number.isNaN(a) && !Number.isNaN(e)) return ordered(order(a, e));
  }
  return compareStrings(String(actual), op, String(expected), attr?.caseExact ?? false);
}

/**
 * Returns true when one element of a multi-valued attribute (an email, a member) matches a value
 * filter such as `type eq "work"`. Names are the element's sub-attributes; an unknown one, or a
 * nested value filter, fails with the error `fail` builds.
 */
export function matchesElement(
  node: FilterNode,
  element: unknown,
  subAttributes: readonly ScimAttribute[],
  fail: (detail: string) => AppError,
): boolean {
  const record =
    typeof element === 'object' && element !== null
      ? (element as Record<string, unknown>)
      : { value: element };
  const resolve = (attr: { uri?: string; name: string; sub?: string }) => {
    const def = findAttribute(subAttributes, attr.name);
    if (!def || attr.uri !== undefined || attr.sub !== undefined) {
      throw fail(`"${pathText(attr)}" is not a sub-attribute this value filter can test.`);
    }
    return def;
  };
  switch (node.kind) {
    case 'compare': {
      if (node.elementFilter) throw fail('Value filters cannot be nested.');
      const def = resolve(node.attr);
      return compare(memberOf(record, def.name), node.op, node.value, def);
    }
    case 'present': {
      if (node.elementFilter) throw fail('Value filters cannot be nested.');
      const value = memberOf(record, resolve(node.attr).name);
      return value !== undefined && value !== null && value !== '';
    }
    case 'valuePath':
      throw fail('Value filters cannot be nested.');
    case 'and':
      return (
        matchesElement(node.left, element, subAttributes, fail) &&
        matchesElement(node.right, element, subAttributes, fail)
      );
    case 'or':
      return (
        matchesElement(node.left, element, subAttributes, fail) ||
        matchesElement(node.right, element, subAttributes, fail)
      );
    case 'not':
      return !matchesElement(node.operand, element, subAttributes, fail);
    default:
      return assertNever(node);
  }
}
