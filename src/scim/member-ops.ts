import { AppError } from '../errors/index.ts';
import { isObject } from './canonical.ts';
import type { FilterNode } from './filter/ast.ts';
import { parseAttrPath, parsePatchPath } from './filter/parse.ts';
import { memberIdsOf } from './group-resource.ts';
import type { PatchOperation } from './patch-ops.ts';
import { GROUP_SCHEMA } from './urns.ts';

/** A change to a group's members, in request order. */
export type MemberOp =
  | { readonly kind: 'add' | 'remove' | 'set'; readonly ids: readonly number[] }
  | { readonly kind: 'removeAll' }
  | { readonly kind: 'removeMatching'; readonly filter: FilterNode };

function isMembers(path: { uri?: string; name: string }): boolean {
  return (
    path.name.toLowerCase() === 'members' &&
    (path.uri === undefined || path.uri.toLowerCase() === GROUP_SCHEMA.toLowerCase())
  );
}

function memberOp(op: PatchOperation, value: unknown, path: string | undefined): MemberOp {
  const parsed = path === undefined ? undefined : parsePatchPath(path);
  if (parsed?.attr.sub !== undefined || parsed?.subAfterFilter !== undefined) {
    throw new AppError(
      'USER_PATCH_PATH_INVALID',
      `Invalid path: ${path} addresses a part of a member, which cannot change.`,
    );
  }
  const field = ['Operations', op.index, 'value'];
  if (parsed?.filter) {
    if (op.op !== 'remove') {
      throw new AppError(
        'USER_PATCH_PATH_INVALID',
        `Invalid path: members are added or replaced by value, not through ${path}.`,
      );
    }
    return { kind: 'removeMatching', filter: parsed.filter };
  }
  if (op.op === 'remove') {
    // Entra removes members with path "members" and the members to remove as the value.
    return value === undefined || value === null
      ? { kind: 'removeAll' }
      : { kind: 'remove', ids: memberIdsOf(value, field) };
  }
  return { kind: op.op === 'add' ? 'add' : 'set', ids: memberIdsOf(value, field) };
}

/**
 * Splits a Group PATCH into operations on members (done in SQL, without loading every member) and
 * operations on the other attributes (applied to the document). A path-less operation whose value has
 * `members` contributes to both.
 */
export function splitMemberOps(operations: readonly PatchOperation[]): {
  readonly documentOps: PatchOperation[];
  readonly memberOps: MemberOp[];
} {
  const documentOps: PatchOperation[] = [];
  const memberOps: MemberOp[] = [];
  for (const op of operations) {
    if (op.path !== undefined) {
      const attr = parseAttrPath(op.path.split('[')[0]!) ?? parsePatchPath(op.path).attr;
      if (isMembers(attr)) memberOps.push(memberOp(op, op.value, op.path));
      else documentOps.push(op);
      continue;
    }
    if (!isObject(op.value)) {
      documentOps.push(op);
      continue;
    }
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(op.value)) {
      if (key.toLowerCase() === 'members') memberOps.push(memberOp(op, value, 'members'));
      else rest[key] = value;
    }
    if (Object.keys(rest).length > 0) documentOps.push({ ...op, value: rest });
  }
  return { documentOps, memberOps };
}
