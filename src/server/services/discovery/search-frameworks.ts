import { sql } from 'kysely';
import { AppError } from '../../../errors/index.ts';
import type { Db } from '../../../store/schema.ts';
import { likeLiteral } from '../tags/search-tags.ts';
import { templateNotFound } from './frameworks.ts';
import { creatorsOf, type TemplateView, viewTemplate } from './sdd-views.ts';

/** The fields a framework search can sort by. */
export const TEMPLATE_SORT_FIELDS = ['name', 'displayName', 'createdAt', 'updatedAt'] as const;

const COLUMN = {
  name: 'name',
  displayName: 'display_name',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
} as const;

/** A search of frameworks. */
export interface TemplateSearch {
  /** A case-insensitive part of the name or the display name. */
  readonly searchText?: string | undefined;
  readonly sortField: (typeof TEMPLATE_SORT_FIELDS)[number];
  readonly sortOrder: 'asc' | 'desc';
  readonly offset: number;
  readonly limit: number;
}

function filtered(db: Db, searchText: string | undefined) {
  const query = db.selectFrom('sdd_frameworks');
  if (!searchText) return query;
  const like = `%${likeLiteral(searchText)}%`;
  return query.where(sql<boolean>`(name ILIKE ${like} OR display_name ILIKE ${like})`);
}

/** `GET /sdd/template`: one page of frameworks, sorted (ties by name), and how many match in all. */
export async function searchFrameworks(
  db: Db,
  search: TemplateSearch,
): Promise<{ count: number; hits: TemplateView[] }> {
  const { n } = await filtered(db, search.searchText)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await filtered(db, search.searchText)
    .selectAll()
    .orderBy(COLUMN[search.sortField], search.sortOrder)
    .orderBy('name')
    .offset(search.offset)
    .limit(search.limit)
    .execute();
  const creators = await creatorsOf(db, rows);
  return { count: Number(n), hits: rows.map((r) => viewTemplate(r, creators)) };
}

/** `GET /sdd/template/{name}`: one framework, or SDD_TEMPLATE_NOT_FOUND. */
export async function getFramework(db: Db, name: string): Promise<TemplateView> {
  const row = await db.selectFrom('sdd_frameworks').selectAll().where('name', '=', name).executeTakeFirst();
  if (!row) throw templateNotFound(name);
  return viewTemplate(row, await creatorsOf(db, [row]));
}

/** `GET /sdd/template/global`: the global framework, or SDD_TEMPLATE_NOT_FOUND when none is global. */
export async function getGlobalFramework(db: Db): Promise<TemplateView> {
  const row = await db
    .selectFrom('sdd_frameworks')
    .selectAll()
    .where('is_global', '=', true)
    .executeTakeFirst();
  if (!row) {
    throw new AppError(
      'SDD_TEMPLATE_NOT_FOUND',
      'No framework is global; make one global with PUT /sdd/template/global.',
    );
  }
  return viewTemplate(row, await creatorsOf(db, [row]));
}
