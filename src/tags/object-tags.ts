import type { Db } from '../store/schema.ts';
import type { TagSource } from './tag-store.ts';

/** A tag as applied to a data source or column. */
export interface AppliedTag {
  readonly name: string;
  readonly source: TagSource;
  readonly addedAt: string;
}

/** The tags of some data sources: by data source id, then by column name ('' for the data source). */
export type TagsByObject = Map<string, Map<string, AppliedTag[]>>;

/** Loads the active tags of the given data sources and their columns, sorted by name. */
export async function loadObjectTags(db: Db, objectIds: readonly string[]): Promise<TagsByObject> {
  const out: TagsByObject = new Map();
  if (objectIds.length === 0) return out;
  const rows = await db
    .selectFrom('object_tags as ot')
    .innerJoin('tags as t', 't.id', 'ot.tag_id')
    .select(['ot.object_id', 'ot.column_name', 't.name', 'ot.source', 'ot.added_at'])
    .where('ot.object_id', 'in', [...objectIds])
    .where('ot.status', '=', 'active')
    .orderBy('t.name')
    .execute();
  for (const r of rows) {
    const byColumn = out.get(r.object_id) ?? new Map<string, AppliedTag[]>();
    out.set(r.object_id, byColumn);
    const list = byColumn.get(r.column_name) ?? [];
    byColumn.set(r.column_name, list);
    list.push({ name: r.name, source: r.source, addedAt: r.added_at.toISOString() });
  }
  return out;
}

/** The tags of one column (or of the data source itself for column ''), or none. */
export function tagsAt(tags: TagsByObject, objectId: string, column: string): AppliedTag[] {
  return tags.get(objectId)?.get(column) ?? [];
}
