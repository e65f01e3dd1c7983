import { getObject } from '../../../connections/object-tree.ts';
import type { Db } from '../../../store/schema.ts';
import { summarizeObject } from './object-view.ts';

/** Filters of `POST /data/object/search/{objectPath}`. */
export interface ObjectSearch {
  readonly searchText?: string | undefined;
  readonly state?: 'active' | 'inactive' | undefined;
  readonly remoteStatus?: 'present' | 'dropped' | undefined;
  readonly offset: number;
  readonly limit: number;
}

/**
 * Lists the children of an object (or, with no path, the connections), by name, filtered by a
 * case-insensitive substring of the name and by state.
 */
export async function searchObjects(db: Db, path: readonly string[] | undefined, search: ObjectSearch) {
  let query = db.selectFrom('data_objects').selectAll();
  if (path === undefined || path.length === 0) query = query.where('kind', '=', 'connection');
  else query = query.where('parent_id', '=', (await getObject(db, path)).id);
  if (search.searchText) {
    const pattern = `%${search.searchText.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where('name', 'ilike', pattern);
  }
  if (search.state) query = query.where('state', '=', search.state);
  if (search.remoteStatus) query = query.where('remote_status', '=', search.remoteStatus);
  const rows = await query.orderBy('name').orderBy('id').offset(search.offset).limit(search.limit).execute();
  return rows.map(summarizeObject);
}
