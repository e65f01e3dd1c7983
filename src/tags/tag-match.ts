import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../store/schema.ts';

/**
 * Returns true when a policy (or search) naming `policyTag` applies to something tagged `tag`: the
 * same tag, or any tag below it in the hierarchy (`PII` matches `PII.Email`, not `PIIX`).
 */
export function tagMatches(policyTag: string, tag: string): boolean {
  return tag === policyTag || tag.startsWith(`${policyTag}.`);
}

/**
 * The SQL form of `tagMatches`: a boolean expression that is true when the tag name in `column` is
 * `policyTag` or one of its descendants. The name is bound as a parameter, never spliced.
 */
export function tagOrDescendant(column: string, policyTag: string): RawBuilder<boolean> {
  const ref = sql.ref(column);
  return sql<boolean>`(${ref} = ${policyTag} OR starts_with(${ref}, ${`${policyTag}.`}))`;
}

/**
 * A boolean expression that is true when the `object_tags` row under `alias` is on a data source or
 * on a column that still exists: tags of a dropped column are kept (they return with the column) but
 * count for nothing meanwhile.
 */
export function onLiveColumn(alias: string): RawBuilder<boolean> {
  const column = sql.ref(`${alias}.column_name`);
  return sql<boolean>`(${column} = '' OR EXISTS (SELECT 1 FROM data_columns dc WHERE dc.object_id = ${sql.ref(`${alias}.object_id`)} AND dc.name = ${column}))`;
}

/** One place a tag is applied: a data source (column '') or one of its columns. */
export interface TaggedObject {
  readonly objectId: string;
  readonly column: string;
  readonly tag: string;
}

/**
 * Lists the data sources and columns carrying `policyTag` or any descendant tag (active tags only),
 * as later features (policies, searches) see them.
 */
export async function objectsTaggedWith(db: Db, policyTag: string): Promise<TaggedObject[]> {
  const rows = await db
    .selectFrom('object_tags as ot')
    .innerJoin('tags as t', 't.id', 'ot.tag_id')
    .select(['ot.object_id', 'ot.column_name', 't.name'])
    .where('ot.status', '=', 'active')
    .where(tagOrDescendant('t.name', policyTag))
    .where(onLiveColumn('ot'))
    .orderBy('ot.object_id')
    .orderBy('ot.column_name')
    .orderBy('t.name')
    .execute();
  return rows.map((r) => ({ objectId: r.object_id, column: r.column_name, tag: r.name }));
}
