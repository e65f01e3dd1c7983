import { AppError, fieldError } from '../errors/index.ts';
import { identityTextProblem } from '../people/text.ts';
import { isObject, type Json } from './canonical.ts';
import { etagOf } from './etag.ts';
import { GROUP_SCHEMA } from './urns.ts';

/** What a SCIM Group sets on a Steward group. */
export interface ScimGroupWrite {
  readonly name: string;
  readonly externalId: string | null;
  /** The member user ids; undefined when the request did not name members. */
  readonly memberIds: readonly number[] | undefined;
}

/** The columns of a Steward group a SCIM Group is built from. */
export interface GroupColumns {
  readonly id: number;
  readonly name: string;
  readonly external_id: string | null;
  readonly version: number;
  readonly created_at: Date;
  readonly updated_at: Date;
}

/** A member as a SCIM Group lists it. */
export interface MemberRef {
  readonly id: number;
  readonly username: string;
}

function invalid(path: ReadonlyArray<string | number>, detail: string): AppError {
  return new AppError('REQUEST_INVALID', `Invalid ${path.join('.')}: ${detail}.`, {
    errors: [fieldError('body', path, detail)],
  });
}

/**
 * Reads member ids from SCIM `members` values (`[{value: "12"}]`). Steward ids are integers and members
 * are users: another value, or `type: "Group"` (nested groups), is REQUEST_INVALID.
 */
export function memberIdsOf(members: unknown, path: ReadonlyArray<string | number>): number[] {
  const list = Array.isArray(members) ? members : members === null || members === undefined ? [] : [members];
  return list.map((m, i) => {
    const entry: Json = isObject(m) ? m : { value: m };
    if (typeof entry['type'] === 'string' && entry['type'].toLowerCase() === 'group') {
      throw invalid([...path, i, 'type'], 'must be User: Steward groups do not contain groups');
    }
    const value = entry['value'];
    if ((typeof value !== 'string' && typeof value !== 'number') || !/^\d{1,15}$/.test(String(value))) {
      throw invalid([...path, i, 'value'], 'must be the id of a user');
    }
    return Number(value);
  });
}

/**
 * Maps a normalized SCIM Group to Steward's columns: `displayName` (required, 1 to 256 characters) is
 * the group name; members become user ids.
 */
export function groupFromScim(resource: Json): ScimGroupWrite {
  const raw = resource['displayName'];
  const name = typeof raw === 'string' ? raw.trim() : raw;
  if (typeof name !== 'string') throw invalid(['displayName'], 'is required');
  const problem = identityTextProblem(name, 256);
  if (problem) throw invalid(['displayName'], problem);
  const externalId = resource['externalId'];
  if (externalId !== null && externalId !== undefined && typeof externalId !== 'string') {
    throw invalid(['externalId'], 'must be a string');
  }
  if (typeof externalId === 'string' && identityTextProblem(externalId, 256)) {
    throw invalid(['externalId'], identityTextProblem(externalId, 256)!);
  }
  return {
    name,
    externalId: typeof externalId === 'string' ? externalId : null,
    memberIds: 'members' in resource ? memberIdsOf(resource['members'], ['members']) : undefined,
  };
}

/** Builds the SCIM Group of a Steward group; `members` is left out when not loaded (undefined). */
export function groupToScim(
  group: GroupColumns,
  members: readonly MemberRef[] | undefined,
  baseUrl: string,
): Json {
  return {
    schemas: [GROUP_SCHEMA],
    id: String(group.id),
    ...(group.external_id !== null ? { externalId: group.external_id } : {}),
    displayName: group.name,
    ...(members
      ? {
          members: members.map((m) => ({
            value: String(m.id),
            $ref: `${baseUrl}/Users/${m.id}`,
            display: m.username,
            type: 'User',
          })),
        }
      : {}),
    meta: {
      resourceType: 'Group',
      created: group.created_at.toISOString(),
      lastModified: group.updated_at.toISOString(),
      location: `${baseUrl}/Groups/${group.id}`,
      version: etagOf(group.version),
    },
  };
}
