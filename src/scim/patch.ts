import { isDeepStrictEqual } from 'node:util';
import { AppError } from '../errors/index.ts';
import { findAttribute, type ScimAttribute } from './attribute-model.ts';
import {
  coerceAttribute,
  coreAttribute,
  extensionSchema,
  type FieldPath,
  isObject,
  type Json,
  type ResourceModel,
} from './canonical.ts';
import type { FilterNode, PatchPath } from './filter/ast.ts';
import { matchesElement } from './filter/evaluate.ts';
import { parseAttrPath, parsePatchPath } from './filter/parse.ts';
import type { PatchOperation } from './patch-ops.ts';

const pathError = (detail: string) => new AppError('USER_PATCH_PATH_INVALID', `Invalid path: ${detail}`);

function noTarget(op: PatchOperation, detail: string): AppError {
  return new AppError('USER_PATCH_NO_TARGET', `Operations[${op.index}]: ${detail}`);
}

function readOnly(op: PatchOperation, name: string): AppError {
  return new AppError('USER_ATTRIBUTE_READ_ONLY', `Operations[${op.index}]: ${name} is read-only.`);
}

/** Where an operation lands: the object holding the attribute, its key, and its definition if known. */
interface Target {
  readonly holder: Json;
  readonly key: string;
  readonly def: ScimAttribute | undefined;
  /** For an extension attribute: the extension's key in the document, dropped when left empty. */
  readonly extension?: string;
}

function locate(doc: Json, path: PatchPath, model: ResourceModel): Target {
  const { uri, name } = path.attr;
  if (uri === undefined || uri.toLowerCase() === model.core.id.toLowerCase()) {
    const def = coreAttribute(model, name);
    if (!def) throw pathError(`"${name}" is not an attribute of a ${model.resourceType}.`);
    return { holder: doc, key: def.name, def };
  }
  const extension = extensionSchema(model, uri);
  const key = extension?.id ?? Object.keys(doc).find((k) => k.toLowerCase() === uri.toLowerCase()) ?? uri;
  const holder = isObject(doc[key]) ? { ...(doc[key] as Json) } : {};
  doc[key] = holder;
  if (!extension) return { holder, key: name, def: undefined, extension: key };
  const def = findAttribute(extension.attributes, name);
  if (!def) throw pathError(`"${name}" is not an attribute of ${extension.id}.`);
  return { holder, key: def.name, def, extension: key };
}

function sameElement(a: unknown, b: unknown): boolean {
  if (isObject(a) && isObject(b) && 'value' in b && Object.keys(b).length <= 2 && !('primary' in b)) {
    // A removal names elements by value (and maybe type), as Entra removes members: {value: "12"}.
    return (
      isDeepStrictEqual(a['value'], b['value']) &&
      (b['type'] === undefined || isDeepStrictEqual(a['type'], b['type']))
    );
  }
  return isDeepStrictEqual(a, b);
}

/** Leaves at most one element marked primary: the last one marked, as RFC 7643 §2.4 requires. */
function onePrimary(list: unknown[], keep: unknown): unknown[] {
  if (!isObject(keep) || keep['primary'] !== true) return list;
  return list.map((e) => (e !== keep && isObject(e) && e['primary'] === true ? { ...e, primary: false } : e));
}

/** The element an add or replace creates when its value filter matches nothing: `type eq "work"` -> {type: "work"}. */
function seedOf(filter: FilterNode): Json | undefined {
  if (
    filter.kind === 'compare' &&
    filter.op === 'eq' &&
    !filter.attr.uri &&
    !filter.attr.sub &&
    !filter.elementFilter
  ) {
    return { [filter.attr.name]: filter.value };
  }
  if (filter.kind === 'and') {
    const left = seedOf(filter.left);
    const right = seedOf(filter.right);
    return left && right ? { ...left, ...right } : undefined;
  }
  return undefined;
}

function setValue(target: Target, value: unknown): void {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0))
    delete target.holder[target.key];
  else target.holder[target.key] = value;
}

function applyFiltered(target: Target, path: PatchPath, op: PatchOperation): void {
  const def = target.def;
  if (!def?.multiValued || !path.filter) {
    throw pathError(`"${target.key}" is not multi-valued; a value filter does not apply.`);
  }
  const subDef =
    path.subAfterFilter !== undefined ? findAttribute(def.subAttributes, path.subAfterFilter) : undefined;
  if (path.subAfterFilter !== undefined && !subDef) {
    throw pathError(`"${path.subAfterFilter}" is not a sub-attribute of ${def.name}.`);
  }
  const filter = path.filter;
  const single: ScimAttribute = { ...def, multiValued: false };
  let list = Array.isArray(target.holder[target.key]) ? [...(target.holder[target.key] as unknown[])] : [];
  const matches = (e: unknown) => matchesElement(filter, e, def.subAttributes ?? [], pathError);
  const field = ['Operations', op.index, 'value'];
  if (op.op === 'remove') {
    // Removing what is already gone succeeds, so a replayed PATCH gives the same result.
    list = subDef
      ? list.map((e) => (matches(e) && isObject(e) ? withoutKey(e, subDef.name) : e))
      : list.filter((e) => !matches(e));
  } else if (!list.some(matches)) {
    const seed = seedOf(filter);
    if (!seed) throw noTarget(op, `no ${def.name} value matches the filter.`);
    const created = subDef
      ? { ...seed, [subDef.name]: coerceAttribute(subDef, op.value, field) }
      : { ...seed, ...(coerceAttribute(single, op.value, field) as Json) };
    const normalized = coerceAttribute(single, created, field);
    list = onePrimary([...list, normalized], normalized);
  } else {
    let marked: unknown;
    list = list.map((e) => {
      if (!matches(e)) return e;
      const base = isObject(e) ? e : { value: e };
      const next = subDef
        ? { ...base, [subDef.name]: coerceAttribute(subDef, op.value, field) }
        : { ...base, ...(coerceAttribute(single, op.value, field) as Json) };
      if (next['primary'] === true) marked = next;
      return next;
    });
    list = onePrimary(list, marked);
  }
  setValue(target, list);
}

function withoutKey(object: Json, key: string): Json {
  const { [key]: _removed, ...rest } = object;
  return rest;
}

/** The new value of a multi-valued attribute after an operation without a value filter. */
function nextList(
  def: ScimAttribute,
  current: unknown,
  op: PatchOperation,
  field: FieldPath,
): unknown[] | null {
  const list = Array.isArray(current) ? [...current] : [];
  if (op.op === 'remove') {
    if (op.value === undefined || op.value === null) return null;
    const gone = coerceAttribute(def, op.value, field) as unknown[];
    return list.filter((e) => !gone.some((g) => sameElement(e, g)));
  }
  const values = coerceAttribute(def, op.value, field) as unknown[];
  if (op.op === 'replace') {
    return onePrimary(
      values,
      values.findLast((v) => isObject(v) && v['primary'] === true),
    );
  }
  let next = list;
  for (const value of values) {
    if (!next.some((e) => isDeepStrictEqual(e, value))) next = onePrimary([...next, value], value);
  }
  return next;
}

/** The new value of a single-valued attribute (or of one sub-attribute of a complex one). */
function nextSingle(
  def: ScimAttribute,
  current: unknown,
  path: PatchPath,
  op: PatchOperation,
  field: FieldPath,
) {
  const sub = path.attr.sub;
  if (sub !== undefined) {
    const subDef = def.type === 'complex' ? findAttribute(def.subAttributes, sub) : undefined;
    if (!subDef) throw pathError(`"${def.name}.${sub}" is not an attribute a PATCH can address.`);
    const object = isObject(current) ? current : {};
    const next =
      op.op === 'remove'
        ? withoutKey(object, subDef.name)
        : { ...object, [subDef.name]: coerceAttribute(subDef, op.value, [...field]) };
    return Object.keys(next).length === 0 ? null : next;
  }
  if (op.op === 'remove') return null;
  const value = coerceAttribute(def, op.value, field);
  if (def.type !== 'complex') return value;
  const merged = { ...(isObject(current) ? current : {}), ...(isObject(value) ? value : {}) };
  return Object.keys(merged).length === 0 ? null : merged;
}

function applyPlain(target: Target, path: PatchPath, op: PatchOperation): void {
  const { def } = target;
  const field = ['Operations', op.index, 'value'];
  if (!def) {
    // An attribute of an extension Steward does not know: kept as sent.
    setValue(target, op.op === 'remove' ? null : op.value);
    return;
  }
  if (def.multiValued && path.attr.sub !== undefined) {
    throw pathError(
      `"${def.name}.${path.attr.sub}" needs a value filter, such as ${def.name}[type eq "work"].${path.attr.sub}.`,
    );
  }
  const current = target.holder[def.name];
  setValue(
    target,
    def.multiValued ? nextList(def, current, op, field) : nextSingle(def, current, path, op, field),
  );
}

function applyAt(doc: Json, path: PatchPath, op: PatchOperation, model: ResourceModel, id: string): void {
  const target = locate(doc, path, model);
  if (target.def?.name === 'id' && !target.extension) {
    // Okta repeats the id inside a path-less replace; the same id is no change.
    if (op.op !== 'remove' && String(op.value) === id && !path.filter && !path.attr.sub) return;
    throw readOnly(op, 'id');
  }
  if (target.def?.mutability === 'readOnly') throw readOnly(op, target.def.name);
  if (path.filter) applyFiltered(target, path, op);
  else applyPlain(target, path, op);
  if (target.extension && Object.keys(target.holder).length === 0) delete doc[target.extension];
}

/** The path of a key of a path-less operation's value: an attribute, or a flattened extension attribute. */
function keyPath(key: string): PatchPath {
  const attr = parseAttrPath(key);
  return attr ? { attr } : parsePatchPath(key);
}

/**
 * Applies PATCH operations (RFC 7644 §3.5.2) to a resource document and returns the new document;
 * the input is not changed. Handles paths with value filters (`emails[type eq "work"].value`),
 * sub-attributes (`name.givenName`), extension attributes, and path-less operations whose value is an
 * object of attributes (Okta's `{"op": "replace", "value": {"active": false}}`; Entra's keys such as
 * `"name.givenName"` or `"urn:...:enterprise:2.0:User:department"`). Operations are idempotent: adding a
 * value already present or removing one already gone changes nothing, so replaying a PATCH gives the
 * same document.
 */
export function applyPatch(
  input: Json,
  operations: readonly PatchOperation[],
  model: ResourceModel,
  id: string,
): Json {
  const doc: Json = structuredClone(input);
  for (const op of operations) {
    if (op.path !== undefined) {
      applyAt(doc, parsePatchPath(op.path), op, model, id);
      continue;
    }
    if (op.op === 'remove') throw noTarget(op, 'a remove operation needs a path.');
    if (!isObject(op.value)) {
      throw new AppError(
        'REQUEST_INVALID',
        `Operations[${op.index}]: without a path, value must be an object.`,
      );
    }
    for (const [key, value] of Object.entries(op.value)) {
      if (key.toLowerCase() === 'schemas' || key.toLowerCase() === 'meta') continue;
      const extension = extensionSchema(model, key);
      if (extension || (/^urn:/i.test(key) && isObject(value) && !coreAttribute(model, key))) {
        if (!isObject(value))
          throw new AppError('REQUEST_INVALID', `Operations[${op.index}]: ${key} must be an object.`);
        for (const [name, inner] of Object.entries(value)) {
          applyAt(doc, { attr: { uri: extension?.id ?? key, name } }, { ...op, value: inner }, model, id);
        }
        continue;
      }
      applyAt(doc, keyPath(key), { ...op, value }, model, id);
    }
  }
  return doc;
}
