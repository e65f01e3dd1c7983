import type { Selectable } from 'kysely';
import { AppError } from '../errors/index.ts';
import type { Db, DomainsTable } from '../store/schema.ts';

/** A stored domain. */
export type DomainRow = Selectable<DomainsTable>;

/** Loads a domain by id, or fails with DOMAIN_NOT_FOUND. */
export async function getDomain(db: Db, id: number): Promise<DomainRow> {
  const row = await db.selectFrom('domains').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('DOMAIN_NOT_FOUND', `There is no domain ${id}.`);
  return row;
}

/** Returns true when the user holds the domain-scoped permission in the domain. */
export async function hasDomainPermission(
  db: Db,
  domainId: number,
  userId: number,
  permission: 'Manage Policies' | 'Audit Activity',
): Promise<boolean> {
  const row = await db
    .selectFrom('domain_permissions')
    .select('user_id')
    .where('domain_id', '=', domainId)
    .where('user_id', '=', userId)
    .where('permission', '=', permission)
    .executeTakeFirst();
  return row !== undefined;
}
