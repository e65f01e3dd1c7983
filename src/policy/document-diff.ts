import { toFieldName } from '../errors/index.ts';
import { canonicalJson } from './document.ts';

/** One changed field of a policy document: `before` is absent for an addition, `after` for a removal. */
export interface PolicyChange {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function walk(before: unknown, after: unknown, path: PropertyKey[], out: PolicyChange[]): void {
  if (canonicalJson(before) === canonicalJson(after)) return;
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const at = [...path, key];
      if (!(key in after)) out.push({ path: toFieldName(at), before: before[key] });
      else if (!(key in before)) out.push({ path: toFieldName(at), after: after[key] });
      else walk(before[key], after[key], at, out);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const at = [...path, i];
      if (i >= after.length) out.push({ path: toFieldName(at), before: before[i] });
      else if (i >= before.length) out.push({ path: toFieldName(at), after: after[i] });
      else walk(before[i], after[i], at, out);
    }
    return;
  }
  out.push({ path: toFieldName(path), before, after });
}

/**
 * Returns the field-level differences between two policy documents, by dotted path
 * (`actions[0].rules[0].config.maskingConfig.type`), descending into objects and arrays (by index).
 * With no `before` (a new policy) every top-level field is an addition.
 */
export function documentChanges(before: unknown, after: unknown): PolicyChange[] {
  const out: PolicyChange[] = [];
  walk(before ?? {}, after ?? {}, [], out);
  return out;
}
