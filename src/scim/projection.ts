import { isObject, type Json } from './canonical.ts';

/** The `attributes` or `excludedAttributes` of a request (RFC 7644 §3.9), as attribute paths. */
export interface Projection {
  readonly attributes?: readonly string[] | undefined;
  readonly excludedAttributes?: readonly string[] | undefined;
}

/** Attributes returned whatever the projection says. */
const ALWAYS = new Set(['id', 'schemas']);

/** Splits a comma-separated `attributes` parameter; undefined when absent or empty. */
export function attributeList(text: string | undefined): string[] | undefined {
  const list = text
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return list && list.length > 0 ? list : undefined;
}

/** Splits a requested path into the document keys it names: [attribute] or [attribute, sub-attribute]. */
function steps(path: string, coreSchema: string, extensions: readonly string[]): string[] {
  const lower = path.toLowerCase();
  for (const urn of [coreSchema, ...extensions]) {
    const u = urn.toLowerCase();
    if (lower === u) return [urn];
    if (lower.startsWith(`${u}:`)) {
      const rest = path.slice(urn.length + 1).split('.');
      return urn === coreSchema ? rest : [urn, ...rest];
    }
  }
  return path.split('.');
}

function keyOf(object: Json, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(object).find((k) => k.toLowerCase() === lower);
}

function pick(source: unknown, path: readonly string[]): unknown {
  if (path.length === 0) return source;
  if (Array.isArray(source)) {
    const items = source.map((e) => pick(e, path)).filter((e) => e !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (!isObject(source)) return undefined;
  const key = keyOf(source, path[0]!);
  if (key === undefined) return undefined;
  const inner = pick(source[key], path.slice(1));
  return inner === undefined ? undefined : { [key]: inner };
}

function merge(target: Json, part: Json): void {
  for (const [key, value] of Object.entries(part)) {
    const current = target[key];
    if (isObject(current) && isObject(value)) merge(current, value);
    else if (Array.isArray(current) && Array.isArray(value)) {
      target[key] = current.map((c, i) => (isObject(c) && isObject(value[i]) ? { ...c, ...value[i] } : c));
    } else target[key] = value;
  }
}

function drop(target: unknown, path: readonly string[]): void {
  if (Array.isArray(target)) {
    for (const e of target) drop(e, path);
    return;
  }
  if (!isObject(target) || path.length === 0) return;
  const key = keyOf(target, path[0]!);
  if (key === undefined) return;
  if (path.length === 1) delete target[key];
  else drop(target[key], path.slice(1));
}

/**
 * Applies `attributes` (only these, plus `id` and `schemas`) or `excludedAttributes` (all but these) to
 * a resource. Paths are case-insensitive and may carry the schema URN (`urn:...:User:userName`) or a
 * sub-attribute (`name.givenName`, `emails.value`).
 */
export function project(resource: Json, projection: Projection, coreSchema: string): Json {
  const extensions = Object.keys(resource).filter((k) => /^urn:/i.test(k));
  if (projection.attributes) {
    const out: Json = {};
    for (const key of Object.keys(resource)) if (ALWAYS.has(key)) out[key] = resource[key];
    for (const path of projection.attributes) {
      const part = pick(resource, steps(path, coreSchema, extensions));
      if (isObject(part)) merge(out, structuredClone(part));
    }
    return out;
  }
  if (!projection.excludedAttributes) return resource;
  const out = structuredClone(resource);
  for (const path of projection.excludedAttributes) {
    const s = steps(path, coreSchema, extensions);
    if (!(s.length === 1 && ALWAYS.has(s[0]!))) drop(out, s);
  }
  return out;
}

/** Returns true when a projection returns the named top-level attribute (to skip loading it if not). */
export function returns(projection: Projection, name: string, coreSchema: string): boolean {
  const lower = name.toLowerCase();
  const top = (path: string) => steps(path, coreSchema, [])[0]?.toLowerCase();
  if (projection.attributes) return projection.attributes.some((p) => top(p) === lower);
  if (projection.excludedAttributes) {
    return !projection.excludedAttributes.some(
      (p) => steps(p, coreSchema, []).length === 1 && top(p) === lower,
    );
  }
  return true;
}
