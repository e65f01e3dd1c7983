import { AppError } from '../../../errors/index.ts';
import type { Attributes, SortedAttributes } from '../../../people/attribute.ts';
import type { ServiceContext } from '../../context.ts';
import { writeAttributes } from './attribute-changes.ts';
import { attributesOf, loadUserRow } from './user-view.ts';

/**
 * Replaces a user's attributes, audited as `AttributeApplied`: all of them (`keys` = 'all'), or only
 * the listed keys, whose values become those given (none: the key is removed) while other keys stay.
 */
export async function replaceAttributes(
  ctx: ServiceContext,
  userId: number,
  attributes: Attributes,
  keys: 'all' | readonly string[],
): Promise<SortedAttributes> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const user = await loadUserRow(trx, userId, true);
    const before = await attributesOf(trx, userId);
    const kept: Record<string, readonly string[]> = {};
    if (keys !== 'all') {
      for (const [key, values] of Object.entries(before)) if (!keys.includes(key)) kept[key] = values;
    }
    return writeAttributes(trx, ctx, user, before, { ...kept, ...attributes }, 'AttributeApplied');
  });
}

/** Adds values to a user's attributes, keeping the values they had, audited as `AttributeApplied`. */
export async function addAttributes(
  ctx: ServiceContext,
  userId: number,
  attributes: Attributes,
): Promise<SortedAttributes> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const user = await loadUserRow(trx, userId, true);
    const before = await attributesOf(trx, userId);
    const after: Record<string, readonly string[]> = { ...before };
    for (const [key, values] of Object.entries(attributes)) after[key] = [...(after[key] ?? []), ...values];
    return writeAttributes(trx, ctx, user, before, after, 'AttributeApplied');
  });
}

/**
 * Removes one value of a user's attribute, or the whole key when `value` is undefined, audited as
 * `AttributeRemoved`; removing what the user does not have is USER_ATTRIBUTE_NOT_FOUND.
 */
export async function removeAttribute(
  ctx: ServiceContext,
  userId: number,
  key: string,
  value: string | undefined,
): Promise<SortedAttributes> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const user = await loadUserRow(trx, userId, true);
    const before = await attributesOf(trx, userId);
    const values = before[key] ?? [];
    if (values.length === 0 || (value !== undefined && !values.includes(value))) {
      const what = value === undefined ? `attribute ${key}` : `${key} = ${value}`;
      throw new AppError('USER_ATTRIBUTE_NOT_FOUND', `User ${user.username} has no ${what}.`);
    }
    const after = { ...before, [key]: value === undefined ? [] : values.filter((v) => v !== value) };
    return writeAttributes(trx, ctx, user, before, after, 'AttributeRemoved');
  });
}
