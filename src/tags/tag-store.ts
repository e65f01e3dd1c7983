import { AppError, type FieldError, fieldError } from '../errors/index.ts';
import type { Db, TagsTable } from '../store/schema.ts';
import { tagLineage } from './tag-name.ts';

/** Where a tag (or the application of one) came from. */
export type TagSource = TagsTable['source'];

/** A tag to create: its normalised name and an optional description. */
export interface NewTag {
  readonly name: string;
  readonly description?: string | null | undefined;
}

/**
 * Creates tags together with any missing ancestors (`PII.Email` also creates `PII`); existing tags
 * are left as they are. Returns the names this call created, parents first.
 */
export async function insertTagLineage(
  db: Db,
  tags: readonly NewTag[],
  source: TagSource,
  createdBy: number | null,
): Promise<string[]> {
  const descriptions = new Map<string, string | null>();
  for (const tag of tags) {
    for (const name of tagLineage(tag.name)) if (!descriptions.has(name)) descriptions.set(name, null);
    descriptions.set(tag.name, tag.description ?? descriptions.get(tag.name) ?? null);
  }
  if (descriptions.size === 0) return [];
  // Sorted so parents come first and concurrent creators take row locks in the same order.
  const names = [...descriptions.keys()].sort();
  const created = await db
    .insertInto('tags')
    .values(
      names.map((name) => ({
        name,
        description: descriptions.get(name) ?? null,
        source,
        created_by: createdBy,
      })),
    )
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('name')
    .execute();
  const made = new Set(created.map((r) => r.name));
  return names.filter((n) => made.has(n));
}

/** A tag named in a request, with where it was named (for the field error when it does not exist). */
export interface NamedTag {
  readonly name: string;
  readonly at: FieldError;
}

/** Resolves tag names to ids; names that do not exist fail with TAG_NOT_FOUND naming each field. */
export async function resolveTags(db: Db, named: readonly NamedTag[]): Promise<Map<string, number>> {
  const names = [...new Set(named.map((n) => n.name))];
  const rows =
    names.length === 0
      ? []
      : await db.selectFrom('tags').select(['id', 'name']).where('name', 'in', names).execute();
  const ids = new Map(rows.map((r) => [r.name, r.id]));
  const missing = named.filter((n) => !ids.has(n.name));
  if (missing.length > 0) {
    throw new AppError(
      'TAG_NOT_FOUND',
      `There is no tag ${missing.map((m) => JSON.stringify(m.name)).join(', ')}; create it first (POST /tag).`,
      { errors: missing.map((m) => m.at) },
    );
  }
  return ids;
}

/** Builds the field error of a tag name given in a request body at `path`. */
export function unknownTagAt(path: readonly PropertyKey[]): FieldError {
  return fieldError('body', path, 'is not a known tag');
}
