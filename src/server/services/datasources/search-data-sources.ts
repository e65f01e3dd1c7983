import { sql } from 'kysely';
import type { z } from 'zod';
import { dataSourceNames } from '../../../datasources/data-source-name.ts';
import { isEnabled } from '../../../datasources/data-source-row.ts';
import type { Db } from '../../../store/schema.ts';
import { loadObjectTags, tagsAt } from '../../../tags/object-tags.ts';
import { onLiveColumn, tagOrDescendant } from '../../../tags/tag-match.ts';
import type { dataSourceSummarySchema } from '../../schemas/data-sources.ts';
import { likeLiteral } from '../tags/search-tags.ts';

/** A data source in search results. */
export type DataSourceSummary = z.infer<typeof dataSourceSummarySchema>;

/** Filters of a data source search; every given filter must hold, and a list matches any of its values. */
export interface DataSourceSearch {
  /** A case-insensitive part of `<database>.<schema>.<table>`. */
  readonly searchText?: string | undefined;
  /** Tags on the data source or any of its columns; a tag also matches its descendants. */
  readonly tags?: readonly string[] | undefined;
  readonly connections?: readonly string[] | undefined;
  readonly databases?: readonly string[] | undefined;
  readonly schemas?: readonly string[] | undefined;
  /** Domain ids; `none` matches data sources in no domain. */
  readonly domains?: ReadonlyArray<number | 'none'> | undefined;
  /** Also list data sources whose table was dropped from the platform. */
  readonly includeDisabled?: boolean | undefined;
  readonly offset: number;
  readonly limit: number;
}

/** Searches data sources, ordered by database, schema and table name, then connection. */
export async function searchDataSources(db: Db, search: DataSourceSearch): Promise<DataSourceSummary[]> {
  let query = db
    .selectFrom('data_objects as o')
    .selectAll('o')
    .where('o.kind', '=', 'table')
    .where('o.state', '=', 'active');
  if (!search.includeDisabled) query = query.where('o.remote_status', '=', 'present');
  if (search.searchText) {
    const pattern = `%${likeLiteral(search.searchText)}%`;
    query = query.where(sql<boolean>`array_to_string(o.path[2:4], '.') ILIKE ${pattern}`);
  }
  if (search.connections?.length) query = query.where('o.connection_key', 'in', [...search.connections]);
  if (search.databases?.length)
    query = query.where(sql<boolean>`o.path[2] = ANY(${[...search.databases]}::text[])`);
  if (search.schemas?.length)
    query = query.where(sql<boolean>`o.path[3] = ANY(${[...search.schemas]}::text[])`);
  if (search.domains?.length) {
    const ids = search.domains.filter((d): d is number => d !== 'none');
    const none = search.domains.includes('none');
    query = query.where((eb) =>
      eb.or([
        ...(ids.length > 0 ? [eb('o.domain_id', 'in', ids)] : []),
        ...(none ? [eb('o.domain_id', 'is', null)] : []),
      ]),
    );
  }
  if (search.tags?.length) {
    const tags = search.tags;
    query = query.where(({ exists, selectFrom, or }) =>
      exists(
        selectFrom('object_tags as ot')
          .innerJoin('tags as t', 't.id', 'ot.tag_id')
          .select('ot.tag_id')
          .whereRef('ot.object_id', '=', 'o.id')
          .where('ot.status', '=', 'active')
          .where(onLiveColumn('ot'))
          .where(or(tags.map((tag) => tagOrDescendant('t.name', tag)))),
      ),
    );
  }
  const rows = await query
    .orderBy(sql`o.path[2:4]`)
    .orderBy('o.connection_key')
    .orderBy('o.id')
    .offset(search.offset)
    .limit(search.limit)
    .execute();
  const names = await dataSourceNames(db, rows);
  const tags = await loadObjectTags(
    db,
    rows.map((r) => r.id),
  );
  const domainIds = [...new Set(rows.flatMap((r) => (r.domain_id === null ? [] : [r.domain_id])))];
  const domains = new Map(
    (domainIds.length === 0
      ? []
      : await db.selectFrom('domains').select(['id', 'name']).where('id', 'in', domainIds).execute()
    ).map((d) => [d.id, d]),
  );
  return rows.map((r) => ({
    id: r.id,
    name: names.get(r.id)!,
    objectPath: r.path,
    connectionKey: r.connection_key,
    tableKind: r.table_kind,
    status: isEnabled(r) ? 'enabled' : 'disabled',
    domain: r.domain_id === null ? null : (domains.get(r.domain_id) ?? null),
    tags: tagsAt(tags, r.id, '').map((t) => t.name),
  }));
}
