import { type DataObjectRow, getAncestors, resolveSettings } from '../connections/object-tree.ts';
import type { Db } from '../store/schema.ts';

/** A role on a data source, as stored: owners, subscribers and experts. */
export type DataSourceRole = 'owner' | 'subscriber' | 'expert';

/** A data owner named by the inherited `dataOwners` setting of the object hierarchy. */
interface OwnerSetting {
  readonly type: 'user' | 'group';
  readonly id?: number;
  readonly name?: string;
}

/** An owner of a data source, and whether it is a member with the owner role or named by the setting. */
export interface DataSourceOwner {
  readonly type: 'user' | 'group';
  readonly id: number | null;
  readonly name: string | null;
  readonly via: 'member' | 'dataOwnersSetting';
}

function ownerSettings(value: readonly unknown[]): OwnerSetting[] {
  return value.flatMap((v) => {
    const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
    if (o['type'] !== 'user' && o['type'] !== 'group') return [];
    return [
      {
        type: o['type'],
        ...(typeof o['id'] === 'number' ? { id: o['id'] } : {}),
        ...(typeof o['name'] === 'string' ? { name: o['name'] } : {}),
      },
    ];
  });
}

async function inheritedOwners(db: Db, row: DataObjectRow): Promise<OwnerSetting[]> {
  return ownerSettings(resolveSettings(row, await getAncestors(db, row)).dataOwners);
}

/**
 * Lists the owners of a data source: members with the owner role (unexpired), then the users and
 * groups its inherited `dataOwners` setting names, resolved to ids and names where they exist.
 */
export async function ownersOf(db: Db, row: DataObjectRow): Promise<DataSourceOwner[]> {
  const members = await db
    .selectFrom('data_source_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.username'])
    .where('m.object_id', '=', row.id)
    .where('m.role', '=', 'owner')
    .where((eb) => eb.or([eb('m.expires_at', 'is', null), eb('m.expires_at', '>', new Date())]))
    .orderBy('u.username')
    .execute();
  const out: DataSourceOwner[] = members.map((m) => ({
    type: 'user',
    id: m.id,
    name: m.username,
    via: 'member',
  }));
  for (const owner of await inheritedOwners(db, row)) {
    const table = owner.type === 'user' ? 'users' : 'groups';
    const column = owner.type === 'user' ? 'username' : 'name';
    const found =
      owner.id !== undefined
        ? await db
            .selectFrom(table)
            .select(['id', `${column} as name`])
            .where('id', '=', owner.id)
            .executeTakeFirst()
        : await db
            .selectFrom(table)
            .select(['id', `${column} as name`])
            .where((eb) => eb(eb.fn('lower', [column]), '=', (owner.name ?? '').toLowerCase()))
            .executeTakeFirst();
    out.push({
      type: owner.type,
      id: found?.id ?? owner.id ?? null,
      name: (found?.name as string | undefined) ?? owner.name ?? null,
      via: 'dataOwnersSetting',
    });
  }
  return out;
}

/**
 * Returns the roles a user holds on a data source: their unexpired membership, plus `owner` when the
 * inherited `dataOwners` setting names them or a group they are in.
 */
export async function rolesOf(
  db: Db,
  row: DataObjectRow,
  user: { readonly id: number; readonly username: string },
): Promise<Set<DataSourceRole>> {
  const roles = new Set<DataSourceRole>();
  const member = await db
    .selectFrom('data_source_members')
    .select('role')
    .where('object_id', '=', row.id)
    .where('user_id', '=', user.id)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]))
    .executeTakeFirst();
  if (member) roles.add(member.role);
  const settings = await inheritedOwners(db, row);
  const named = settings.some(
    (o) =>
      o.type === 'user' &&
      (o.id === user.id || (o.name !== undefined && o.name.toLowerCase() === user.username.toLowerCase())),
  );
  if (named) roles.add('owner');
  const groups = settings.filter((o) => o.type === 'group');
  if (!named && groups.length > 0) {
    const memberOf = await db
      .selectFrom('group_members as gm')
      .innerJoin('groups as g', 'g.id', 'gm.group_id')
      .select(['g.id', 'g.name'])
      .where('gm.user_id', '=', user.id)
      .execute();
    const inOwnerGroup = groups.some((o) =>
      memberOf.some(
        (g) => o.id === g.id || (o.name !== undefined && o.name.toLowerCase() === g.name.toLowerCase()),
      ),
    );
    if (inOwnerGroup) roles.add('owner');
  }
  return roles;
}
