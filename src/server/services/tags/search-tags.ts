import { sql } from 'kysely';
import type { Db } from '../../../store/schema.ts';
import { tagOrDescendant } from '../../../tags/tag-match.ts';
import type { TagSource } from '../../../tags/tag-store.ts';
import { type TagView, viewTag } from './tag-view.ts';

/** Filters of a tag search; every given filter must hold. */
export interface TagSearch {
  /** A case-insensitive part of the name. */
  readonly searchText?: string | undefined;
  /** A case-insensitive start of the name. */
  readonly prefix?: string | undefined;
  /** Only this tag and its descendants. */
  readonly under?: string | undefined;
  readonly source?: TagSource | undefined;
  readonly offset: number;
  readonly limit: number;
}

/** Escapes `%`, `_` and `\` so a text matches literally inside a LIKE pattern. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Searches the tag vocabulary, ordered by name (so parents precede their children). */
export async function searchTags(db: Db, search: TagSearch): Promise<TagView[]> {
  let query = db.selectFrom('tags').selectAll();
  if (search.searchText) {
    query = query.where(sql<boolean>`name ILIKE ${`%${likeLiteral(search.searchText)}%`}`);
  }
  if (search.prefix) query = query.where(sql<boolean>`name ILIKE ${`${likeLiteral(search.prefix)}%`}`);
  if (search.under) query = query.where(tagOrDescendant('name', search.under));
  if (search.source) query = query.where('source', '=', search.source);
  const rows = await query.orderBy('name').offset(search.offset).limit(search.limit).execute();
  return rows.map(viewTag);
}
