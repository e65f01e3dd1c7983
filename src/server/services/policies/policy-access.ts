import type { DataObjectRow } from '../../../connections/object-tree.ts';
import { rolesOf } from '../../../datasources/data-source-roles.ts';
import { hasPermission } from '../../../domain/actor.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import { forbiddenOn } from '../datasources/authorize.ts';

/** The global permissions that may author global policies. */
export const GLOBAL_POLICY_AUTHORS = ['GOVERNANCE', 'APPLICATION_ADMIN'] as const;

/** Returns true when the actor may author, change and delete global policies (Steward itself may: demo seeding). */
export function mayAuthorGlobal(ctx: ServiceContext): boolean {
  return ctx.actor.type === 'SYSTEM_ACTOR' || GLOBAL_POLICY_AUTHORS.some((p) => hasPermission(ctx.actor, p));
}

/**
 * Returns true when the actor may author the local policies of a data source: GOVERNANCE, an owner of
 * it, or a holder of `Manage Policies` in its domain (or Steward itself).
 */
export async function mayAuthorLocal(db: Db, ctx: ServiceContext, row: DataObjectRow): Promise<boolean> {
  if (ctx.actor.type === 'SYSTEM_ACTOR' || hasPermission(ctx.actor, 'GOVERNANCE')) return true;
  if (ctx.actor.type !== 'USER_ACTOR') return false;
  if ((await rolesOf(db, row, { id: ctx.actor.id, username: ctx.actor.name })).has('owner')) return true;
  if (row.domain_id === null) return false;
  const delegated = await db
    .selectFrom('domain_permissions')
    .select('user_id')
    .where('domain_id', '=', row.domain_id)
    .where('user_id', '=', ctx.actor.id)
    .where('permission', '=', 'Manage Policies')
    .executeTakeFirst();
  return delegated !== undefined;
}

/** Fails with AUTH_FORBIDDEN (audited by `auditingDenials`) unless the actor may author global policies. */
export function assertMayAuthorGlobal(ctx: ServiceContext, policyKey: string): void {
  if (mayAuthorGlobal(ctx)) return;
  throw forbiddenOn(
    { type: 'policy', id: policyKey },
    'Global policies need the GOVERNANCE or APPLICATION_ADMIN permission.',
    { requiredPermissions: [...GLOBAL_POLICY_AUTHORS] },
  );
}

/** Fails with AUTH_FORBIDDEN (audited by `auditingDenials`) unless the actor may author the data source's local policies. */
export async function assertMayAuthorLocal(db: Db, ctx: ServiceContext, row: DataObjectRow): Promise<void> {
  if (await mayAuthorLocal(db, ctx, row)) return;
  throw forbiddenOn(
    { type: 'dataSource', id: row.id },
    `The policies of data source ${row.id} need the GOVERNANCE permission, being an owner of it, or Manage Policies in its domain.`,
    { requiredRoles: ['owner'], capability: 'managePolicies' },
  );
}
