import { type AuditTarget, recordAudit } from '../../../audit/record.ts';
import type { FrameworkRow } from '../../../discovery/registry.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import { templateNotFound } from './frameworks.ts';

/** The outcome of setting the global framework: the new one and the one before, null for none. */
export interface GlobalChange {
  readonly name: string | null;
  readonly previous: string | null;
}

/** What `PUT /sdd/template/apply` asks: a framework (null to clear) and where to assign it. */
export interface ApplyRequest {
  readonly name: string | null;
  readonly dataSourceIds: readonly string[];
  readonly domainIds: readonly number[];
}

/** What applying did: the framework and the data sources and domains it is now assigned to. */
export interface Applied {
  readonly name: string | null;
  readonly dataSourceIds: string[];
  readonly domainIds: number[];
}

async function lockByName(trx: Db, name: string): Promise<FrameworkRow> {
  const row = await trx
    .selectFrom('sdd_frameworks')
    .selectAll()
    .where('name', '=', name)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw templateNotFound(name, fieldError('body', ['name'], 'is not a framework'));
  return row;
}

const targetOf = (row: FrameworkRow): AuditTarget => ({
  type: 'sddTemplate',
  id: String(row.id),
  name: row.name,
});

/**
 * `PUT /sdd/template/global`: makes a framework the global one, which applies to every data source
 * with no framework of its own or of its domain; `null` leaves no framework global.
 */
export async function setGlobalFramework(ctx: ServiceContext, name: string | null): Promise<GlobalChange> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    // Concurrent switches queue on the built-in framework's row (it cannot be deleted), so each reads
    // the global framework the one before it left and the one-global index is never hit.
    await trx.selectFrom('sdd_frameworks').select('id').where('built_in', '=', true).forUpdate().execute();
    const previous = await trx
      .selectFrom('sdd_frameworks')
      .selectAll()
      .where('is_global', '=', true)
      .forUpdate()
      .executeTakeFirst();
    const next = name === null ? undefined : await lockByName(trx, name);
    if (previous && previous.id !== next?.id) {
      await trx
        .updateTable('sdd_frameworks')
        .set({ is_global: false })
        .where('id', '=', previous.id)
        .execute();
    }
    if (next && !next.is_global) {
      await trx.updateTable('sdd_frameworks').set({ is_global: true }).where('id', '=', next.id).execute();
    }
    const targets = [
      ...(next ? [targetOf(next)] : []),
      ...(previous && previous.id !== next?.id ? [targetOf(previous)] : []),
    ];
    const result = { name: next?.name ?? null, previous: previous?.name ?? null };
    await recordAudit(trx, ctx, {
      action: 'SddGlobalTemplateSet',
      targets: targets.length > 0 ? targets : [{ type: 'setting', id: 'sddGlobalTemplate' }],
      payload: result,
    });
    return result;
  });
}

/** Fails with `code` naming each listed id that `known` lacks. */
function refuseUnknown<T>(
  ids: readonly T[],
  known: ReadonlySet<T>,
  field: string,
  code: 'DATASOURCE_NOT_FOUND' | 'DOMAIN_NOT_FOUND',
  noun: string,
): void {
  const unknown = ids.flatMap((id, i) => (known.has(id) ? [] : [{ id, i }]));
  if (unknown.length === 0) return;
  throw new AppError(code, `There is no ${noun} ${unknown.map((u) => String(u.id)).join(', ')}.`, {
    errors: unknown.map((u) => fieldError('body', [field, u.i], `is not a ${noun}`)),
  });
}

/**
 * `PUT /sdd/template/apply`: assigns a framework to data sources and domains (a data source's own
 * framework comes before its domain's, which comes before the global one); `name: null` clears their
 * assignments. Unknown data sources and domains fail, naming each field.
 */
export async function applyFramework(ctx: ServiceContext, request: ApplyRequest): Promise<Applied> {
  const dataSourceIds = [...new Set(request.dataSourceIds)];
  const domainIds = [...new Set(request.domainIds)];
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const framework = request.name === null ? null : await lockByName(trx, request.name);
    const sources =
      dataSourceIds.length === 0
        ? []
        : await trx
            .selectFrom('data_objects')
            .select(['id', 'name'])
            .where('id', 'in', dataSourceIds)
            .where('kind', '=', 'table')
            .where('state', '=', 'active')
            .forUpdate()
            .execute();
    refuseUnknown(
      request.dataSourceIds,
      new Set(sources.map((s) => String(s.id))),
      'dataSourceIds',
      'DATASOURCE_NOT_FOUND',
      'data source',
    );
    const domains =
      domainIds.length === 0
        ? []
        : await trx
            .selectFrom('domains')
            .select(['id', 'name'])
            .where('id', 'in', domainIds)
            .forUpdate()
            .execute();
    refuseUnknown(
      request.domainIds,
      new Set(domains.map((d) => d.id)),
      'domainIds',
      'DOMAIN_NOT_FOUND',
      'domain',
    );
    const frameworkId = framework?.id ?? null;
    if (dataSourceIds.length > 0) {
      await trx
        .updateTable('data_objects')
        .set({ sdd_framework_id: frameworkId })
        .where('id', 'in', dataSourceIds)
        .execute();
    }
    if (domainIds.length > 0) {
      await trx
        .updateTable('domains')
        .set({ sdd_framework_id: frameworkId })
        .where('id', 'in', domainIds)
        .execute();
    }
    const result = { name: framework?.name ?? null, dataSourceIds, domainIds };
    await recordAudit(trx, ctx, {
      action: 'SddTemplateApplied',
      targets: [
        ...(framework ? [targetOf(framework)] : []),
        ...sources.map((s) => ({ type: 'dataSource', id: String(s.id), name: s.name })),
        ...domains.map((d) => ({ type: 'domain', id: String(d.id), name: d.name })),
      ],
      payload: result,
    });
    return result;
  });
}
