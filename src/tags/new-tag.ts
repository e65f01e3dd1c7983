import { sql } from 'kysely';
import type { Db } from '../store/schema.ts';

/** The tag object sync puts on new data sources and on added or retyped columns. */
export const NEW_TAG = 'New';

/** The schema changes that tag their data source or column `New`. */
const TAGGING_CHANGES = new Set(['tableCreated', 'columnAdded', 'columnTypeChanged']);

/** A schema change as object sync records it. */
export interface RecordedChange {
  readonly objectId: string;
  readonly column: string | null;
  readonly change: string;
}

/**
 * Tags what schema changes created or altered with `New` (source `schemaChange`), creating the tag on
 * first use: a created table on the data source itself, an added or retyped column on that column.
 * Runs in the sync's transaction; a place already tagged `New` keeps its tag.
 */
export async function applyNewTag(db: Db, changes: readonly RecordedChange[]): Promise<void> {
  const targets = changes.filter((c) => TAGGING_CHANGES.has(c.change));
  if (targets.length === 0) return;
  await db
    .insertInto('tags')
    .values({
      name: NEW_TAG,
      description: 'Found by object sync: a new data source, or a column added or retyped.',
      source: 'schemaChange',
      created_by: null,
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  await sql`
    INSERT INTO object_tags (object_id, column_name, tag_id, source)
    SELECT DISTINCT x.o, x.c, t.id, 'schemaChange'
      FROM unnest(${targets.map((t) => t.objectId)}::bigint[], ${targets.map((t) => t.column ?? '')}::text[]) AS x(o, c)
      CROSS JOIN tags t
     WHERE t.name = ${NEW_TAG}
    ON CONFLICT (object_id, column_name, tag_id) DO NOTHING`.execute(db);
}
