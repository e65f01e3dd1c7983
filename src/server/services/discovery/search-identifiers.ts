import { sql } from 'kysely';
import { BUILTIN_BY_ID } from '../../../discovery/registry.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import type { Db } from '../../../store/schema.ts';
import { likeLiteral } from '../tags/search-tags.ts';
import { type ClassifierView, creatorsOf, viewBuiltin, viewIdentifier } from './sdd-views.ts';

/** The fields a search can sort by (`id` is the reference's, the same as `name` here). */
export const CLASSIFIER_SORT_FIELDS = [
  'id',
  'name',
  'displayName',
  'type',
  'createdAt',
  'updatedAt',
] as const;

/** A search of identifiers, built-in and user-defined. */
export interface ClassifierSearch {
  /** A case-insensitive part of the name or the display name. */
  readonly searchText?: string | undefined;
  /** Only these types (`builtIn` for the built-in pack). */
  readonly types?: ReadonlyArray<ClassifierView['type']> | undefined;
  readonly sortField: (typeof CLASSIFIER_SORT_FIELDS)[number];
  readonly sortOrder: 'asc' | 'desc';
  readonly offset: number;
  readonly limit: number;
}

/** One page of a search and how many identifiers matched in all, as the reference answers. */
export interface ClassifierPage {
  readonly count: number;
  readonly hits: ClassifierView[];
}

function sortKey(view: ClassifierView, field: ClassifierSearch['sortField']): string {
  switch (field) {
    case 'id':
    case 'name':
      return view.name;
    case 'displayName':
      return view.displayName.toLowerCase();
    case 'type':
      return view.type;
    case 'createdAt':
      return view.createdAt ?? '';
    case 'updatedAt':
      return view.updatedAt ?? '';
  }
}

/**
 * `GET /sdd/classifier`: searches the built-in identifiers (type `builtIn`) and the user-defined ones
 * together, sorted (ties by name) and paged; `count` is the number matching before paging.
 */
export async function searchIdentifiers(db: Db, search: ClassifierSearch): Promise<ClassifierPage> {
  const types = search.types && search.types.length > 0 ? new Set(search.types) : null;
  const text = search.searchText?.toLowerCase();
  const builtins = types && !types.has('builtIn') ? [] : [...BUILTIN_BY_ID.values()].map(viewBuiltin);
  const userTypes = types ? [...types].flatMap((t) => (t === 'builtIn' ? [] : [t])) : null;
  let query = db.selectFrom('sdd_identifiers').selectAll();
  if (text) {
    const like = `%${likeLiteral(text)}%`;
    query = query.where(sql<boolean>`(name ILIKE ${like} OR display_name ILIKE ${like})`);
  }
  const rows =
    userTypes !== null && userTypes.length === 0
      ? []
      : await (userTypes ? query.where('type', 'in', userTypes) : query).execute();
  const creators = await creatorsOf(db, rows);
  const matching = [
    ...builtins.filter(
      (v) => !text || v.name.toLowerCase().includes(text) || v.displayName.toLowerCase().includes(text),
    ),
    ...rows.map((r) => viewIdentifier(r, creators)),
  ];
  const direction = search.sortOrder === 'desc' ? -1 : 1;
  matching.sort((a, b) => {
    const ka = sortKey(a, search.sortField);
    const kb = sortKey(b, search.sortField);
    if (ka !== kb) return (ka < kb ? -1 : 1) * direction;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  return { count: matching.length, hits: matching.slice(search.offset, search.offset + search.limit) };
}

/** `GET /sdd/classifier/{name}`: one identifier, built-in or user-defined, or SDD_CLASSIFIER_NOT_FOUND. */
export async function getIdentifier(db: Db, name: string): Promise<ClassifierView> {
  const builtin = BUILTIN_BY_ID.get(name);
  if (builtin) return viewBuiltin(builtin);
  const row = await db.selectFrom('sdd_identifiers').selectAll().where('name', '=', name).executeTakeFirst();
  if (!row) {
    throw new AppError('SDD_CLASSIFIER_NOT_FOUND', `There is no identifier ${JSON.stringify(name)}.`, {
      errors: [fieldError('params', ['name'], 'is not an identifier')],
    });
  }
  return viewIdentifier(row, await creatorsOf(db, [row]));
}
