import { AppError, fieldError } from '../errors/index.ts';
import { findAttribute, type ScimAttribute } from './attribute-model.ts';
import { COMMON_ATTRIBUTES, ENTERPRISE_USER, GROUP, type ScimSchema, USER } from './resource-schemas.ts';

/** A resource type's schemas: its core schema and the extensions Steward knows. */
export interface ResourceModel {
  readonly resourceType: 'User' | 'Group';
  readonly core: ScimSchema;
  readonly extensions: readonly ScimSchema[];
}

/** SCIM Users: core schema plus the enterprise extension. */
export const USER_MODEL: ResourceModel = { resourceType: 'User', core: USER, extensions: [ENTERPRISE_USER] };

/** SCIM Groups. */
export const GROUP_MODEL: ResourceModel = { resourceType: 'Group', core: GROUP, extensions: [] };

/** A JSON object as SCIM sends it. */
export type Json = Record<string, unknown>;

/** Field path of a value inside a request body, for error messages. */
export type FieldPath = ReadonlyArray<string | number>;

function invalid(path: FieldPath, detail: string): AppError {
  return new AppError('REQUEST_INVALID', `Invalid ${path.join('.') || 'body'}: ${detail}.`, {
    errors: [fieldError('body', path, detail)],
  });
}

/** Returns true when the value is a plain JSON object. */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function coerceSimple(attr: ScimAttribute, value: unknown, path: FieldPath): unknown {
  switch (attr.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      // Microsoft Entra ID sends booleans as "True" and "False" in PATCH requests.
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      throw invalid(path, 'must be true or false');
    case 'integer':
    case 'decimal': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n === 'number' && Number.isFinite(n) && (attr.type === 'decimal' || Number.isInteger(n)))
        return n;
      throw invalid(path, `must be ${attr.type === 'integer' ? 'an integer' : 'a number'}`);
    }
    case 'complex':
      throw invalid(path, 'must be an object');
    default:
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw invalid(path, 'must be a string');
  }
}

/**
 * Normalizes one attribute value to what the schema says: sub-attribute names in canonical case
 * (unknown ones dropped), booleans from "True"/"False", a single value of a multi-valued attribute
 * as a list, and a bare value of a complex attribute as `{value}` (Entra sends `manager` so). null
 * means "no value" and is kept.
 */
export function coerceAttribute(attr: ScimAttribute, value: unknown, path: FieldPath): unknown {
  if (value === null || value === undefined) return null;
  if (attr.multiValued) {
    const list = Array.isArray(value) ? value : [value];
    return list
      .filter((v) => v !== null && v !== undefined)
      .map((v, i) => coerceAttribute({ ...attr, multiValued: false }, v, [...path, i]));
  }
  if (attr.type !== 'complex') return coerceSimple(attr, value, path);
  const object = isObject(value) ? value : findAttribute(attr.subAttributes, 'value') ? { value } : undefined;
  if (!object) throw invalid(path, 'must be an object');
  const out: Json = {};
  for (const [key, inner] of Object.entries(object)) {
    const sub = findAttribute(attr.subAttributes, key);
    if (!sub || inner === null || inner === undefined) continue;
    out[sub.name] = coerceAttribute(sub, inner, [...path, sub.name]);
  }
  return out;
}

/** Finds the attribute a top-level key names: a core or common attribute. */
export function coreAttribute(model: ResourceModel, key: string): ScimAttribute | undefined {
  return findAttribute(model.core.attributes, key) ?? findAttribute(COMMON_ATTRIBUTES, key);
}

/** Finds a known extension schema by URN, case-insensitively. */
export function extensionSchema(model: ResourceModel, urn: string): ScimSchema | undefined {
  const lower = urn.toLowerCase();
  return model.extensions.find((e) => e.id.toLowerCase() === lower);
}

/**
 * Normalizes a resource a client sent (POST or PUT body): canonical attribute names and value types;
 * `id` and `meta` (read-only) dropped; known extensions normalized, other `urn:` extension objects kept
 * as sent; other unknown attributes dropped, as RFC 7644 lets a service provider ignore them. A value
 * of the wrong type is REQUEST_INVALID naming the field.
 */
export function canonicalResource(input: Json, model: ResourceModel): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(input)) {
    if (key.toLowerCase() === 'schemas') {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
        throw invalid(['schemas'], 'must be a list of schema URNs');
      }
      out['schemas'] = value;
      continue;
    }
    const attr = coreAttribute(model, key);
    if (attr) {
      if (attr.name === 'id' || attr.name === 'meta') continue;
      out[attr.name] = coerceAttribute(attr, value, [attr.name]);
      continue;
    }
    if (!/^urn:/i.test(key) || !isObject(value)) continue;
    const extension = extensionSchema(model, key);
    if (!extension) {
      out[key] = value;
      continue;
    }
    const fields: Json = {};
    for (const [name, inner] of Object.entries(value)) {
      const sub = findAttribute(extension.attributes, name);
      if (sub && inner !== null && inner !== undefined)
        fields[sub.name] = coerceAttribute(sub, inner, [key, sub.name]);
    }
    out[extension.id] = fields;
  }
  return out;
}
