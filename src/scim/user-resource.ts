import { isDeepStrictEqual } from 'node:util';
import { AppError, fieldError } from '../errors/index.ts';
import { hasControlCharacter } from '../people/text.ts';
import { isObject, type Json } from './canonical.ts';
import { etagOf } from './etag.ts';
import { USER_SCHEMA } from './urns.ts';

/** Largest SCIM extras (phone numbers, addresses, extensions...) kept for one user, in bytes of JSON. */
export const MAX_SCIM_EXTRAS_BYTES = 64 * 1024;

/** What a SCIM User sets on a Steward user. */
export interface ScimUserWrite {
  readonly username: string;
  readonly name: string | null;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly email: string | null;
  /** Absent from the request: keep the current state (new users are active). */
  readonly active: boolean | undefined;
  readonly externalId: string | null;
  /** Every other attribute, kept as sent and returned as is. */
  readonly extras: Json;
}

/** The columns of a Steward user a SCIM User is built from. */
export interface UserColumns {
  readonly id: number;
  readonly username: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly given_name: string | null;
  readonly family_name: string | null;
  readonly external_id: string | null;
  readonly state: 'active' | 'disabled';
  readonly scim: Json;
  readonly version: number;
  readonly created_at: Date;
  readonly updated_at: Date;
}

/** Attributes mapped to columns, or never stored (`password`, read-only `groups`). */
const MAPPED = new Set([
  'schemas',
  'userName',
  'displayName',
  'name',
  'active',
  'externalId',
  'password',
  'groups',
]);

function invalid(path: ReadonlyArray<string | number>, detail: string): AppError {
  return new AppError('REQUEST_INVALID', `Invalid ${path.join('.')}: ${detail}.`, {
    errors: [fieldError('body', path, detail)],
  });
}

function text(value: unknown, path: ReadonlyArray<string | number>, max: number): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw invalid(path, 'must be a string');
  const trimmed = value.trim();
  if (trimmed.length > max) throw invalid(path, `must be at most ${max} characters`);
  if (hasControlCharacter(trimmed)) throw invalid(path, 'must not contain control characters');
  return trimmed === '' ? null : trimmed;
}

function isEmpty(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (Array.isArray(value) && value.length === 0) ||
    (isObject(value) && Object.keys(value).length === 0)
  );
}

/** The Steward email of a list of SCIM emails: the primary one, else the work one, else the first. */
export function emailOf(emails: unknown): unknown {
  if (!Array.isArray(emails)) return undefined;
  const entries = emails.filter(isObject);
  const chosen =
    entries.find((e) => e['primary'] === true) ?? entries.find((e) => e['type'] === 'work') ?? entries[0];
  return chosen?.['value'];
}

/**
 * Maps a normalized SCIM User to Steward's columns. `userName` is required (1 to 256 characters, no
 * control characters; surrounding spaces are trimmed). The password is dropped: Steward never stores
 * one. Attributes without a column are kept verbatim in `extras`, up to MAX_SCIM_EXTRAS_BYTES.
 */
export function userFromScim(resource: Json): ScimUserWrite {
  const username = text(resource['userName'], ['userName'], 256);
  if (username === null) throw invalid(['userName'], 'is required');
  const name = isObject(resource['name']) ? resource['name'] : {};
  const { givenName, familyName, ...otherNames } = name;
  const extras: Json = {};
  if (!isEmpty(otherNames)) extras['name'] = otherNames;
  for (const [key, value] of Object.entries(resource)) {
    if (!MAPPED.has(key) && !isEmpty(value)) extras[key] = value;
  }
  if (JSON.stringify(extras).length > MAX_SCIM_EXTRAS_BYTES) {
    throw new AppError(
      'REQUEST_INVALID',
      `The user's other SCIM attributes exceed ${MAX_SCIM_EXTRAS_BYTES} bytes.`,
    );
  }
  const emails = resource['emails'];
  const emailIndex = Array.isArray(emails)
    ? emails.findIndex((e) => isObject(e) && e['value'] === emailOf(emails))
    : -1;
  const email = text(emailOf(emails), ['emails', Math.max(emailIndex, 0), 'value'], 320);
  // The one work email Steward shows for a user without SCIM emails is not worth keeping.
  if (email !== null && isDeepStrictEqual(emails, defaultEmails(email))) delete extras['emails'];
  return {
    username,
    name: text(resource['displayName'], ['displayName'], 256),
    givenName: text(givenName, ['name', 'givenName'], 256),
    familyName: text(familyName, ['name', 'familyName'], 256),
    email,
    active: typeof resource['active'] === 'boolean' ? resource['active'] : undefined,
    externalId: text(resource['externalId'], ['externalId'], 256),
    extras,
  };
}

/** The emails shown for a user whose SCIM client sent none: the Steward email, as primary work email. */
function defaultEmails(email: string): Json[] {
  return [{ value: email, type: 'work', primary: true }];
}

/** The id and display name of a group a user belongs to. */
export interface GroupRef {
  readonly id: number;
  readonly name: string;
}

/**
 * Builds the SCIM User of a Steward user. `groups` is left out when not loaded (undefined); `baseUrl`
 * is the SCIM base (`https://host/scim/v2`). Attributes without a value are left out.
 */
export function userToScim(
  user: UserColumns,
  groups: readonly GroupRef[] | undefined,
  baseUrl: string,
): Json {
  const { name: otherNames, emails, ...rest } = user.scim;
  const name: Json = {
    ...(isObject(otherNames) ? otherNames : {}),
    ...(user.given_name !== null ? { givenName: user.given_name } : {}),
    ...(user.family_name !== null ? { familyName: user.family_name } : {}),
  };
  const emailList =
    Array.isArray(emails) && emails.length > 0
      ? emails
      : user.email !== null
        ? defaultEmails(user.email)
        : undefined;
  const extensions = Object.keys(rest).filter((k) => /^urn:/i.test(k));
  const location = `${baseUrl}/Users/${user.id}`;
  return {
    schemas: [USER_SCHEMA, ...extensions],
    id: String(user.id),
    ...(user.external_id !== null ? { externalId: user.external_id } : {}),
    userName: user.username,
    ...(Object.keys(name).length > 0 ? { name } : {}),
    ...(user.name !== null ? { displayName: user.name } : {}),
    ...(emailList ? { emails: emailList } : {}),
    active: user.state === 'active',
    ...rest,
    ...(groups && groups.length > 0
      ? {
          groups: groups.map((g) => ({
            value: String(g.id),
            $ref: `${baseUrl}/Groups/${g.id}`,
            display: g.name,
            type: 'direct',
          })),
        }
      : {}),
    meta: {
      resourceType: 'User',
      created: user.created_at.toISOString(),
      lastModified: user.updated_at.toISOString(),
      location,
      version: etagOf(user.version),
    },
  };
}
