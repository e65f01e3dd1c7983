import { recordAudit } from '../../../audit/record.ts';
import {
  type Attributes,
  attributePairs,
  normalizeAttributes,
  type SortedAttributes,
} from '../../../people/attribute.ts';
import { markEntitlementsChanged } from '../../../people/entitlements-changed.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import { bumpUser, type UserRow } from './user-view.ts';

function difference(a: Attributes, b: Attributes): Attributes {
  const out: Record<string, string[]> = {};
  for (const [key, values] of Object.entries(a)) {
    const other = new Set(b[key] ?? []);
    const only = values.filter((v) => !other.has(v));
    if (only.length > 0) out[key] = only;
  }
  return out;
}

/**
 * Moves a user's attributes from `before` to `after` in the caller's transaction: deletes and inserts
 * only the values that differ, increments the user's version, tells entitlement sync, and records one
 * event (`action`) listing the values added and removed. With no difference nothing is written or
 * recorded. Returns the attributes after the change.
 */
export async function writeAttributes(
  trx: Db,
  ctx: ServiceContext,
  user: UserRow,
  before: Attributes,
  after: Attributes,
  action: 'AttributeApplied' | 'AttributeRemoved',
): Promise<SortedAttributes> {
  const target = normalizeAttributes(after);
  const added = difference(target, before);
  const removed = difference(before, target);
  const toDelete = attributePairs(removed);
  const toInsert = attributePairs(added);
  if (toDelete.length === 0 && toInsert.length === 0) return target;
  for (const [key, values] of Object.entries(removed)) {
    await trx
      .deleteFrom('user_attributes')
      .where('user_id', '=', user.id)
      .where('attribute_key', '=', key)
      .where('attribute_value', 'in', [...values])
      .execute();
  }
  if (toInsert.length > 0) {
    await trx
      .insertInto('user_attributes')
      .values(toInsert.map(([k, v]) => ({ user_id: user.id, attribute_key: k, attribute_value: v })))
      .execute();
  }
  await bumpUser(trx, user.id);
  await markEntitlementsChanged(trx);
  await recordAudit(trx, ctx, {
    action,
    targets: [{ type: 'user', id: String(user.id), name: user.username }],
    payload: { added, removed },
  });
  return target;
}
