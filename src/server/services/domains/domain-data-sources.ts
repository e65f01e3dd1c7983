import { recordAudit } from '../../../audit/record.ts';
import { hasPermission } from '../../../domain/actor.ts';
import { getDomain } from '../../../domains/domain-row.ts';
import { AppError, type FieldError, fieldError } from '../../../errors/index.ts';
import type { ServiceContext } from '../../context.ts';
import { auditingDenials, forbiddenOn, mayOnDataSource } from '../datasources/authorize.ts';
import { type DomainView, getDomainView } from './domain-view.ts';

/** A change of a domain's data sources: ids to put in, ids to take out. */
export interface DomainDataSourcesChange {
  readonly add?: readonly string[] | undefined;
  readonly remove?: readonly string[] | undefined;
}

/** What the change did, and the domain after it. */
export interface DomainDataSourcesResult {
  readonly domain: DomainView;
  readonly added: string[];
  readonly moved: string[];
  readonly removed: string[];
}

function duplicates(ids: ReadonlyArray<{ id: string; path: readonly PropertyKey[] }>): FieldError[] {
  const seen = new Set<string>();
  return ids.flatMap(({ id, path }) => {
    if (!seen.has(id)) {
      seen.add(id);
      return [];
    }
    return [fieldError('body', path, 'is listed twice')];
  });
}

/**
 * `PUT /domain/{id}/dataSources`: adds data sources to a domain and removes others from it. A data
 * source belongs to at most one domain, so adding one that is in another domain moves it. GOVERNANCE
 * may do anything; anyone else may only add data sources they own that are in no domain: moving a
 * data source out of a domain, or removing it, takes GOVERNANCE.
 */
export async function updateDomainDataSources(
  ctx: ServiceContext,
  domainId: number,
  change: DomainDataSourcesChange,
): Promise<DomainDataSourcesResult> {
  const listed = [
    ...(change.add ?? []).map((id, i) => ({ id, path: ['add', i] as const })),
    ...(change.remove ?? []).map((id, i) => ({ id, path: ['remove', i] as const })),
  ];
  const twice = duplicates(listed);
  if (twice.length > 0) {
    throw new AppError('REQUEST_INVALID', 'A data source is listed twice.', { errors: twice });
  }
  const governor = hasPermission(ctx.actor, 'GOVERNANCE');
  return auditingDenials(ctx, () =>
    ctx.deps.store.db.transaction().execute(async (trx) => {
      const domain = await getDomain(trx, domainId);
      const ids = listed.map((l) => l.id);
      const rows =
        ids.length === 0
          ? []
          : await trx
              .selectFrom('data_objects')
              .selectAll()
              .where('id', 'in', ids)
              .where('kind', '=', 'table')
              .where('state', '=', 'active')
              .forUpdate()
              .execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      const unknown = listed.filter((l) => !byId.has(l.id));
      if (unknown.length > 0) {
        throw new AppError(
          'DATASOURCE_NOT_FOUND',
          `There is no data source ${unknown.map((u) => u.id).join(', ')}.`,
          { errors: unknown.map((u) => fieldError('body', u.path, 'is not a data source')) },
        );
      }
      const removeFields = (change.remove ?? []).flatMap((id, i) =>
        byId.get(id)!.domain_id === domainId
          ? []
          : [fieldError('body', ['remove', i], 'is not in this domain')],
      );
      if (removeFields.length > 0) {
        throw new AppError('REQUEST_INVALID', 'Only data sources in this domain can be removed from it.', {
          errors: removeFields,
        });
      }
      const toAdd = (change.add ?? []).map((id, i) => ({ row: byId.get(id)!, path: ['add', i] as const }));
      const adding = toAdd.filter((a) => a.row.domain_id !== domainId);
      if (!governor) {
        const refused: FieldError[] = [];
        for (const { row, path } of adding) {
          if (row.domain_id !== null)
            refused.push(fieldError('body', path, 'is in another domain; only GOVERNANCE moves it'));
          else if (!(await mayOnDataSource(trx, ctx, row, 'assignDomain')))
            refused.push(fieldError('body', path, 'is not a data source you own'));
        }
        refused.push(
          ...(change.remove ?? []).map((_, i) =>
            fieldError('body', ['remove', i], 'only GOVERNANCE removes a data source from a domain'),
          ),
        );
        if (refused.length > 0) {
          throw forbiddenOn(
            { type: 'domain', id: String(domainId) },
            'Only GOVERNANCE moves data sources between domains or removes them; owners may add their data sources that are in no domain.',
            { requiredRoles: ['owner'] },
            refused,
          );
        }
      }
      const moved = adding.filter((a) => a.row.domain_id !== null).map((a) => a.row);
      const added = adding.map((a) => a.row.id);
      const removed = change.remove ?? [];
      if (added.length > 0) {
        await trx.updateTable('data_objects').set({ domain_id: domainId }).where('id', 'in', added).execute();
      }
      if (removed.length > 0) {
        await trx
          .updateTable('data_objects')
          .set({ domain_id: null })
          .where('id', 'in', [...removed])
          .execute();
      }
      await recordAudit(trx, ctx, {
        action: 'DomainDataSourcesUpdated',
        targets: [
          { type: 'domain', id: String(domainId), name: domain.name },
          ...[...added, ...removed].map((id) => ({ type: 'dataSource', id })),
        ],
        payload: {
          added,
          removed: [...removed],
          moved: moved.map((r) => ({ id: r.id, fromDomain: r.domain_id })),
        },
      });
      return {
        domain: await getDomainView(trx, domainId),
        added,
        moved: moved.map((r) => r.id),
        removed: [...removed],
      };
    }),
  );
}
