import { sql } from 'kysely';
import type { Db } from '../../../store/schema.ts';

/** A purpose as the API shows it. */
export interface PurposeView {
  readonly id: number;
  readonly name: string;
  readonly description: string | null;
  readonly createdAt: string;
}

/** Builds the view of a purpose row. */
export function viewPurpose(row: {
  id: number;
  name: string;
  description: string | null;
  created_at: Date | string;
}): PurposeView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** `GET /purpose`: purposes by name, optionally those whose name contains `searchText` (any case). */
export async function listPurposes(
  db: Db,
  filters: { readonly searchText?: string | undefined; readonly offset: number; readonly limit: number },
): Promise<PurposeView[]> {
  let query = db.selectFrom('purposes').selectAll();
  if (filters.searchText) {
    query = query.where(sql<boolean>`strpos(lower(name), lower(${filters.searchText})) > 0`);
  }
  const rows = await query
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .offset(filters.offset)
    .limit(filters.limit)
    .execute();
  return rows.map(viewPurpose);
}
