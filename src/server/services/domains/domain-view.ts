import { sql } from 'kysely';
import type { z } from 'zod';
import { type DomainRow, getDomain } from '../../../domains/domain-row.ts';
import type { Db } from '../../../store/schema.ts';
import type { domainSchema } from '../../schemas/domains.ts';
import { likeLiteral } from '../tags/search-tags.ts';

/** A domain as the API shows it. */
export type DomainView = z.infer<typeof domainSchema>;

/** Builds the views of domains: their data source counts and who holds which domain permission. */
export async function viewDomains(db: Db, rows: readonly DomainRow[]): Promise<DomainView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const counts = await db
    .selectFrom('data_objects')
    .select(['domain_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('domain_id', 'in', ids)
    .where('kind', '=', 'table')
    .where('state', '=', 'active')
    .groupBy('domain_id')
    .execute();
  const grants = await db
    .selectFrom('domain_permissions as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.domain_id', 'u.id', 'u.username', 'p.permission'])
    .where('p.domain_id', 'in', ids)
    .orderBy('u.username')
    .orderBy('p.permission', 'desc')
    .execute();
  return rows.map((row) => {
    const permissions: DomainView['permissions'] = [];
    for (const g of grants.filter((g) => g.domain_id === row.id)) {
      const last = permissions.at(-1);
      if (last?.userId === g.id) last.permissions.push(g.permission);
      else permissions.push({ userId: g.id, username: g.username, permissions: [g.permission] });
    }
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      dataSourceCount: Number(counts.find((c) => c.domain_id === row.id)?.n ?? 0),
      permissions,
      createdAt: row.created_at.toISOString(),
      createdBy: row.created_by,
    };
  });
}

/** `GET /domain/{id}`. */
export async function getDomainView(db: Db, id: number): Promise<DomainView> {
  const [view] = await viewDomains(db, [await getDomain(db, id)]);
  return view!;
}

/** `GET /domain`: domains by name, optionally those whose name contains a text (case-insensitive). */
export async function searchDomains(
  db: Db,
  search: { searchText?: string | undefined; offset: number; limit: number },
): Promise<DomainView[]> {
  let query = db.selectFrom('domains').selectAll();
  if (search.searchText)
    query = query.where(sql<boolean>`name ILIKE ${`%${likeLiteral(search.searchText)}%`}`);
  const rows = await query
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .offset(search.offset)
    .limit(search.limit)
    .execute();
  return viewDomains(db, rows);
}
