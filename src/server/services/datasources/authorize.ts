import { recordAudit } from '../../../audit/record.ts';
import type { DataObjectRow } from '../../../connections/object-tree.ts';
import { type DataSourceRole, rolesOf } from '../../../datasources/data-source-roles.ts';
import { hasPermission } from '../../../domain/actor.ts';
import { AppError, type FieldError, isAppError, safeErrorMessage } from '../../../errors/index.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';

/** What a caller wants to do to a data source, and which roles allow it besides GOVERNANCE. */
export const DATA_SOURCE_ROLES_FOR = {
  /** Add, change and remove members. */
  manageMembers: ['owner'],
  /** Edit the data dictionary and the tags of the data source and its columns. */
  editMetadata: ['owner', 'expert'],
  /** Put a data source that is in no domain into one. */
  assignDomain: ['owner'],
} as const satisfies Record<string, readonly DataSourceRole[]>;

/** One of the guarded operations on a data source. */
export type DataSourceCapability = keyof typeof DATA_SOURCE_ROLES_FOR;

const DENIED = Symbol('dataSourceDenied');

/** Returns true when the actor may perform the operation on the data source. */
export async function mayOnDataSource(
  db: Db,
  ctx: ServiceContext,
  row: DataObjectRow,
  capability: DataSourceCapability,
): Promise<boolean> {
  if (hasPermission(ctx.actor, 'GOVERNANCE')) return true;
  if (ctx.actor.type !== 'USER_ACTOR') return false;
  const roles = await rolesOf(db, row, { id: ctx.actor.id, username: ctx.actor.name });
  return DATA_SOURCE_ROLES_FOR[capability].some((r) => roles.has(r));
}

/** What a refused operation was about, kept on its error so the denial can be audited after rollback. */
interface Denial {
  readonly target: { readonly type: string; readonly id: string };
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * Builds an AUTH_FORBIDDEN error for a check made inside a service (rather than by the route), tagged
 * so `auditingDenials` records an AuthorizationDenied event about `target`.
 */
export function forbiddenOn(
  target: Denial['target'],
  detail: string,
  extensions: Readonly<Record<string, unknown>>,
  errors: readonly FieldError[] = [],
): AppError {
  const error = new AppError('AUTH_FORBIDDEN', detail, {
    extensions: { requiredPermissions: ['GOVERNANCE'], ...extensions },
    errors,
  });
  const denial: Denial = { target, payload: { required: ['GOVERNANCE'], ...extensions } };
  Object.defineProperty(error, DENIED, { value: denial });
  return error;
}

/** The 403 of an operation on a data source the caller holds neither GOVERNANCE nor a role for. */
export function dataSourceForbidden(row: DataObjectRow, capability: DataSourceCapability): AppError {
  const roles = DATA_SOURCE_ROLES_FOR[capability];
  return forbiddenOn(
    { type: 'dataSource', id: row.id },
    `This operation requires the GOVERNANCE permission or being ${roles.map((r) => `an ${r}`).join(' or ')} of data source ${row.id}.`,
    { requiredRoles: roles, capability },
  );
}

/** Fails with AUTH_FORBIDDEN unless the actor holds GOVERNANCE or a role allowing the operation. */
export async function assertOnDataSource(
  db: Db,
  ctx: ServiceContext,
  row: DataObjectRow,
  capability: DataSourceCapability,
): Promise<void> {
  if (!(await mayOnDataSource(db, ctx, row, capability))) throw dataSourceForbidden(row, capability);
}

/**
 * Runs a change and, when it was refused by a data source check, audits the denial once its
 * transaction has rolled back (so the denial is kept while the change is not).
 */
export async function auditingDenials<T>(ctx: ServiceContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const denied = isAppError(error)
      ? (error as unknown as Record<symbol, Denial | undefined>)[DENIED]
      : undefined;
    if (denied) {
      await recordAudit(ctx.deps.store.db, ctx, {
        action: 'AuthorizationDenied',
        actionStatus: 'denied',
        targets: [denied.target],
        payload: denied.payload,
      }).catch((cause) =>
        ctx.deps.logger.error({ err: safeErrorMessage(cause) }, 'could not audit a denied request'),
      );
    }
    throw error;
  }
}
