import { sql } from 'kysely';
import { recordAudit } from '../../../audit/record.ts';
import { AppError } from '../../../errors/index.ts';
import { requestEnforcement } from '../../../policy/request-enforcement.ts';
import type { ServiceContext } from '../../context.ts';
import { assertOnDataSource, auditingDenials } from '../datasources/authorize.ts';
import { loadTagTarget } from '../tags/tag-target.ts';

/** What discovery last concluded about one column. */
export interface ColumnResultView {
  readonly column: string;
  readonly identifier: string | null;
  readonly tags: string[];
  readonly nameMatches: string[];
  readonly hitRates: Record<string, number>;
  readonly sampled: number;
  readonly evaluatedIn: string;
  readonly framework: string;
  readonly discoveredAt: string;
  /** The discovered tags on the column now, with their review status. */
  readonly review: Array<{ tag: string; status: 'active' | 'rejected'; confirmed: boolean }>;
}

/**
 * `GET /dataSource/{id}/discovery`: the stored result of discovery per column (hit rates, chosen
 * identifier, tags applied, when) and the review status of each discovered tag. Never a value.
 */
export async function discoveryResults(
  ctx: ServiceContext,
  dataSourceId: string,
): Promise<{ dataSourceId: string; columns: ColumnResultView[] }> {
  const db = ctx.deps.store.db;
  const { row } = await loadTagTarget(db, { modelType: 'datasource', dataSourceId });
  const results = await db
    .selectFrom('column_discovery as d')
    .innerJoin('data_columns as c', (j) =>
      j.onRef('c.object_id', '=', 'd.object_id').onRef('c.name', '=', 'd.column_name'),
    )
    .selectAll('d')
    .where('d.object_id', '=', row.id)
    .orderBy('c.position')
    .execute();
  const review = await db
    .selectFrom('object_tags as ot')
    .innerJoin('tags as t', 't.id', 'ot.tag_id')
    .select([
      'ot.column_name',
      't.name',
      'ot.status',
      sql<boolean>`ot.confirmed_at IS NOT NULL`.as('confirmed'),
    ])
    .where('ot.object_id', '=', row.id)
    .where('ot.source', '=', 'discovered')
    .orderBy('t.name')
    .execute();
  return {
    dataSourceId: row.id,
    columns: results.map((r) => ({
      column: r.column_name,
      identifier: r.identifier,
      tags: r.tags,
      nameMatches: r.name_matches,
      hitRates: r.hit_rates,
      sampled: r.sampled,
      evaluatedIn: r.evaluated_in,
      framework: r.framework,
      discoveredAt: r.discovered_at.toISOString(),
      review: review
        .filter((t) => t.column_name === r.column_name)
        .map((t) => ({ tag: t.name, status: t.status, confirmed: t.confirmed })),
    })),
  };
}

/** A discovered tag on a column, as `POST /sdd/tags/confirm|reject` name it. */
export interface DiscoveredTagRef {
  readonly dataSourceId: string;
  readonly column: string;
  readonly tag: string;
}

/**
 * `POST /sdd/tags/confirm` and `/sdd/tags/reject`: a data owner (or expert, or GOVERNANCE) reviews a
 * discovered tag. Confirmed, it stays even when a later run no longer finds it; rejected, it is taken
 * off the column and later runs do not apply it again (confirming a rejected tag restores it).
 */
export async function reviewDiscoveredTag(
  ctx: ServiceContext,
  ref: DiscoveredTagRef,
  decision: 'confirm' | 'reject',
): Promise<{
  dataSourceId: string;
  column: string;
  tag: string;
  status: 'active' | 'rejected';
  confirmed: boolean;
}> {
  return auditingDenials(ctx, () =>
    ctx.deps.store.db.transaction().execute(async (trx) => {
      const loaded = await loadTagTarget(trx, {
        modelType: 'column',
        dataSourceId: ref.dataSourceId,
        column: ref.column,
      });
      await assertOnDataSource(trx, ctx, loaded.row, 'editMetadata');
      const found = await trx
        .selectFrom('object_tags as ot')
        .innerJoin('tags as t', 't.id', 'ot.tag_id')
        .select(['ot.tag_id', 'ot.status'])
        .where('ot.object_id', '=', loaded.row.id)
        .where('ot.column_name', '=', ref.column)
        .where('ot.source', '=', 'discovered')
        .where('t.name', '=', ref.tag)
        .executeTakeFirst();
      if (!found) {
        throw new AppError(
          'TAG_NOT_FOUND',
          `Discovery has not tagged column ${JSON.stringify(ref.column)} of data source ${ref.dataSourceId} with ${JSON.stringify(ref.tag)}.`,
        );
      }
      const by = ctx.actor.type === 'USER_ACTOR' ? ctx.actor.id : null;
      const status = decision === 'confirm' ? ('active' as const) : ('rejected' as const);
      await trx
        .updateTable('object_tags')
        .set(
          decision === 'confirm'
            ? { status, confirmed_at: new Date(), confirmed_by: by }
            : { status, confirmed_at: null, confirmed_by: null },
        )
        .where('object_id', '=', loaded.row.id)
        .where('column_name', '=', ref.column)
        .where('tag_id', '=', found.tag_id)
        .execute();
      if (found.status !== status) await requestEnforcement(trx, [loaded.row.connection_key]);
      await recordAudit(trx, ctx, {
        action: decision === 'confirm' ? 'DiscoveredTagConfirmed' : 'DiscoveredTagRejected',
        targets: [loaded.audit],
        payload: { tag: ref.tag, previousStatus: found.status },
      });
      return {
        dataSourceId: loaded.row.id,
        column: ref.column,
        tag: ref.tag,
        status,
        confirmed: decision === 'confirm',
      };
    }),
  );
}
