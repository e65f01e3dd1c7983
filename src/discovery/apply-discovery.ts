import { sql } from 'kysely';
import { recordAudit } from '../audit/record.ts';
import { SYSTEM_ACTOR } from '../domain/actor.ts';
import { requestEnforcement } from '../policy/request-enforcement.ts';
import type { Db } from '../store/schema.ts';
import { insertTagLineage } from '../tags/tag-store.ts';
import type { DiscoveredColumn } from './discover-table.ts';

/** How a run treats columns it has seen before. */
export type DiscoveryMode = 'all' | 'newColumns';

/** What discovery changed (or, on a dry run, would change) on one column. */
export interface ColumnChange {
  readonly column: string;
  readonly identifier: string | null;
  /** Every tag the verdict names. */
  readonly tags: readonly string[];
  /** Tags applied now. */
  readonly added: readonly string[];
  /** Discovered tags no longer found (and not confirmed by a data owner), removed now. */
  readonly removed: readonly string[];
  /** Tags a data owner rejected earlier: not applied again. */
  readonly rejected: readonly string[];
}

interface ExistingTag {
  readonly column_name: string;
  readonly tag: string;
  readonly source: string;
  readonly status: string;
  readonly confirmed: boolean;
}

/** One data source's discovery outcome to record. */
export interface DataSourceDiscovery {
  readonly dataSourceId: string;
  readonly connectionKey: string;
  readonly name: string;
  readonly framework: string;
  readonly columns: readonly DiscoveredColumn[];
}

/**
 * Works out, per column, which tags a verdict adds and removes: a tag already there (whatever its
 * source) stays; one a data owner rejected is not applied again; on a full run, discovered tags the
 * verdict no longer names are removed unless a data owner confirmed them. Manual tags are never touched.
 */
export async function planTagChanges(
  db: Db,
  discovery: DataSourceDiscovery,
  mode: DiscoveryMode,
): Promise<ColumnChange[]> {
  const names = discovery.columns.map((c) => c.column);
  const existing =
    names.length === 0
      ? []
      : ((await db
          .selectFrom('object_tags as ot')
          .innerJoin('tags as t', 't.id', 'ot.tag_id')
          .select([
            'ot.column_name',
            't.name as tag',
            'ot.source',
            'ot.status',
            sql<boolean>`ot.confirmed_at IS NOT NULL`.as('confirmed'),
          ])
          .where('ot.object_id', '=', discovery.dataSourceId)
          .where('ot.column_name', 'in', names)
          .execute()) as ExistingTag[]);
  const byColumn = new Map<string, ExistingTag[]>();
  for (const e of existing) {
    const list = byColumn.get(e.column_name) ?? [];
    list.push(e);
    byColumn.set(e.column_name, list);
  }
  return discovery.columns.map((c) => {
    const have = byColumn.get(c.column) ?? [];
    const rejected = c.tags.filter((t) => have.some((e) => e.tag === t && e.status === 'rejected'));
    const added = c.tags.filter((t) => !have.some((e) => e.tag === t));
    const removed =
      mode === 'all'
        ? have
            .filter(
              (e) =>
                e.source === 'discovered' && e.status === 'active' && !e.confirmed && !c.tags.includes(e.tag),
            )
            .map((e) => e.tag)
        : [];
    return { column: c.column, identifier: c.identifier, tags: c.tags, added, removed, rejected };
  });
}

/**
 * Records one data source's discovery in one transaction: the per-column result (hit rates, chosen
 * identifier, tags, when; never a value), the tag changes, an audit event, and a request to enforce
 * policies again when tags changed. Returns the changes.
 */
export async function recordDiscovery(
  db: Db,
  discovery: DataSourceDiscovery,
  mode: DiscoveryMode,
  jobId: string | null,
): Promise<ColumnChange[]> {
  return db.transaction().execute(async (trx) => {
    const changes = await planTagChanges(trx, discovery, mode);
    const toAdd = changes.flatMap((c) => c.added.map((tag) => ({ column: c.column, tag })));
    const toRemove = changes.flatMap((c) => c.removed.map((tag) => ({ column: c.column, tag })));
    if (toAdd.length > 0) {
      await insertTagLineage(
        trx,
        [...new Set(toAdd.map((a) => a.tag))].map((name) => ({ name })),
        'discovered',
        null,
      );
      await sql`
        INSERT INTO object_tags (object_id, column_name, tag_id, source)
        SELECT ${discovery.dataSourceId}::bigint, a.column_name, t.id, 'discovered'
          FROM unnest(${toAdd.map((a) => a.column)}::text[], ${toAdd.map((a) => a.tag)}::text[]) AS a(column_name, tag)
          JOIN tags t ON t.name = a.tag
        ON CONFLICT DO NOTHING`.execute(trx);
    }
    if (toRemove.length > 0) {
      await sql`
        DELETE FROM object_tags ot USING tags t,
               unnest(${toRemove.map((r) => r.column)}::text[], ${toRemove.map((r) => r.tag)}::text[]) AS r(column_name, tag)
         WHERE ot.object_id = ${discovery.dataSourceId}::bigint AND ot.column_name = r.column_name
           AND t.id = ot.tag_id AND t.name = r.tag AND ot.source = 'discovered' AND ot.confirmed_at IS NULL`.execute(
        trx,
      );
    }
    const applied = new Map(changes.map((c) => [c.column, c.tags.filter((t) => !c.rejected.includes(t))]));
    const cols = discovery.columns;
    if (cols.length > 0) {
      await trx
        .insertInto('column_discovery')
        .values(
          cols.map((c) => ({
            object_id: discovery.dataSourceId,
            column_name: c.column,
            framework: discovery.framework,
            sampled: c.sampled,
            hit_rates: JSON.stringify(c.hitRates),
            identifier: c.identifier,
            name_matches: [...c.nameMatches],
            tags: applied.get(c.column) ?? [],
            evaluated_in: c.evaluatedIn,
            job_id: jobId,
            discovered_at: new Date(),
          })),
        )
        .onConflict((oc) =>
          oc.columns(['object_id', 'column_name']).doUpdateSet((eb) => ({
            framework: eb.ref('excluded.framework'),
            sampled: eb.ref('excluded.sampled'),
            hit_rates: eb.ref('excluded.hit_rates'),
            identifier: eb.ref('excluded.identifier'),
            name_matches: eb.ref('excluded.name_matches'),
            tags: eb.ref('excluded.tags'),
            evaluated_in: eb.ref('excluded.evaluated_in'),
            job_id: eb.ref('excluded.job_id'),
            discovered_at: eb.ref('excluded.discovered_at'),
          })),
        )
        .execute();
    }
    const changed = changes.filter((c) => c.added.length > 0 || c.removed.length > 0);
    if (changed.length > 0) await requestEnforcement(trx, [discovery.connectionKey]);
    await recordAudit(
      trx,
      { actor: SYSTEM_ACTOR },
      {
        action: 'discovery.completed',
        targets: [{ type: 'dataSource', id: discovery.dataSourceId, name: discovery.name }],
        payload: {
          framework: discovery.framework,
          mode,
          columns: cols.length,
          changes: changed.map((c) => ({
            column: c.column,
            identifier: c.identifier,
            added: c.added,
            removed: c.removed,
          })),
          rejected: changes
            .filter((c) => c.rejected.length > 0)
            .map((c) => ({ column: c.column, tags: c.rejected })),
        },
      },
    );
    return changes;
  });
}
