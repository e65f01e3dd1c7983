import { recordAudit } from '../../../audit/record.ts';
import { getDomain } from '../../../domains/domain-row.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import type { ServiceContext } from '../../context.ts';
import type { DOMAIN_PERMISSIONS } from '../../schemas/domains.ts';
import { type DomainView, getDomainView } from './domain-view.ts';

/** A user's permissions in a domain, as a request gives them. */
export interface DomainGrant {
  readonly userId: number;
  readonly permissions: ReadonlyArray<(typeof DOMAIN_PERMISSIONS)[number]>;
}

/**
 * `PUT /domain/{id}/permissions`: replaces who holds which domain-scoped permission (`Manage
 * Policies`, `Audit Activity`): the body is the complete list, so a user left out loses theirs.
 */
export async function replaceDomainPermissions(
  ctx: ServiceContext,
  domainId: number,
  grants: readonly DomainGrant[],
): Promise<DomainView> {
  const seen = new Map<number, number>();
  const twice = grants.flatMap((g, i) => {
    const first = seen.get(g.userId);
    if (first === undefined) seen.set(g.userId, i);
    return first === undefined ? [] : [fieldError('body', ['users', i, 'userId'], `is also users[${first}]`)];
  });
  if (twice.length > 0) throw new AppError('REQUEST_INVALID', 'A user is listed twice.', { errors: twice });
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const domain = await getDomain(trx, domainId);
    const before = await getDomainView(trx, domainId);
    const ids = grants.map((g) => g.userId);
    const users =
      ids.length === 0 ? [] : await trx.selectFrom('users').select('id').where('id', 'in', ids).execute();
    const known = new Set(users.map((u) => u.id));
    const unknown = grants.flatMap((g, i) =>
      known.has(g.userId) ? [] : [fieldError('body', ['users', i, 'userId'], 'is not a known user')],
    );
    if (unknown.length > 0) {
      throw new AppError('USER_NOT_FOUND', 'A listed user does not exist.', { errors: unknown });
    }
    await trx.deleteFrom('domain_permissions').where('domain_id', '=', domainId).execute();
    const rows = grants.flatMap((g) =>
      [...new Set(g.permissions)].map((permission) => ({
        domain_id: domainId,
        user_id: g.userId,
        permission,
      })),
    );
    if (rows.length > 0) await trx.insertInto('domain_permissions').values(rows).execute();
    const after = await getDomainView(trx, domainId);
    await recordAudit(trx, ctx, {
      action: 'DomainPermissionsUpdated',
      targets: [
        { type: 'domain', id: String(domainId), name: domain.name },
        ...after.permissions.map((p) => ({ type: 'user', id: String(p.userId), name: p.username })),
      ],
      payload: { before: before.permissions, after: after.permissions },
    });
    return after;
  });
}
