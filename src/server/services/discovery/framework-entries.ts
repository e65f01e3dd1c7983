import { BUILTIN_BY_ID } from '../../../discovery/registry.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import type { Db, FrameworkEntry } from '../../../store/schema.ts';
import type { TemplateBody } from '../../schemas/sdd.ts';

/**
 * Resolves the `classifiers` of a framework body to stored entries, each with the tags the framework
 * applies for it: `overrides.tags` when given, else the tags the framework already held for it (an
 * update keeps its copy), else a copy of the identifier's tags. An identifier named twice is
 * REQUEST_INVALID; one that does not exist is SDD_CLASSIFIER_UNKNOWN; each names its field.
 */
export async function resolveEntries(
  db: Db,
  classifiers: TemplateBody['classifiers'],
  previous: readonly FrameworkEntry[] = [],
): Promise<FrameworkEntry[]> {
  const first = new Map<string, number>();
  const twice = classifiers.flatMap((c, i) => {
    const seen = first.get(c.name);
    if (seen === undefined) first.set(c.name, i);
    return seen === undefined
      ? []
      : [fieldError('body', ['classifiers', i, 'name'], `names the same identifier as classifiers[${seen}]`)];
  });
  if (twice.length > 0)
    throw new AppError('REQUEST_INVALID', 'An identifier is listed twice.', { errors: twice });
  const custom = classifiers.map((c) => c.name).filter((n) => !BUILTIN_BY_ID.has(n));
  const rows =
    custom.length === 0
      ? []
      : await db.selectFrom('sdd_identifiers').select(['name', 'tags']).where('name', 'in', custom).execute();
  const tagsOf = new Map<string, readonly string[]>([
    ...[...BUILTIN_BY_ID.values()].map((i) => [i.id, i.tags] as const),
    ...rows.map((r) => [r.name, r.tags] as const),
  ]);
  const unknown = classifiers.flatMap((c, i) => (tagsOf.has(c.name) ? [] : [{ name: c.name, i }]));
  if (unknown.length > 0) {
    throw new AppError(
      'SDD_CLASSIFIER_UNKNOWN',
      `There is no identifier ${unknown.map((u) => JSON.stringify(u.name)).join(', ')}.`,
      {
        errors: unknown.map((u) => fieldError('body', ['classifiers', u.i, 'name'], 'is not an identifier')),
      },
    );
  }
  const kept = new Map(previous.map((e) => [e.name, e.tags]));
  return classifiers.map((c) => ({
    name: c.name,
    tags: [...new Set(c.overrides?.tags ?? kept.get(c.name) ?? tagsOf.get(c.name) ?? [])],
  }));
}
