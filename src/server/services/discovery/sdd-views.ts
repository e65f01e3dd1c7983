import type { z } from 'zod';
import type { Identifier } from '../../../discovery/identifier.ts';
import { QUALIFYING_RATE } from '../../../discovery/identifier.ts';
import { BUILTIN_BY_ID, type FrameworkRow, type IdentifierRow } from '../../../discovery/registry.ts';
import type { Db } from '../../../store/schema.ts';
import type { classifierSchema, templateSchema } from '../../schemas/sdd.ts';

/** An identifier as the API shows it (`/sdd/classifier`). */
export type ClassifierView = z.infer<typeof classifierSchema>;

/** A framework as the API shows it (`/sdd/template`). */
export type TemplateView = z.infer<typeof templateSchema>;

/** The creator of an identifier or a framework, as the reference shows it. */
export type Creator = NonNullable<ClassifierView['createdBy']>;

/** Loads the users who created the given rows, by id. */
export async function creatorsOf(
  db: Db,
  rows: ReadonlyArray<{ created_by: number | null }>,
): Promise<Map<number, Creator>> {
  const ids = [...new Set(rows.flatMap((r) => (r.created_by === null ? [] : [r.created_by])))];
  if (ids.length === 0) return new Map();
  const users = await db
    .selectFrom('users')
    .select(['id', 'username', 'name', 'email'])
    .where('id', 'in', ids)
    .execute();
  return new Map(users.map((u) => [u.id, { id: u.id, name: u.name ?? u.username, email: u.email }]));
}

/** Builds the view of a built-in identifier: type `builtIn`, with its rule shown read-only. */
export function viewBuiltin(i: Identifier): ClassifierView {
  const criteria =
    i.kind === 'valueRegex'
      ? { regex: i.pattern }
      : i.kind === 'columnName'
        ? { columnNameRegex: i.pattern }
        : { values: [...(i.values ?? [])] };
  return {
    name: i.id,
    displayName: i.name,
    description: i.description,
    type: 'builtIn',
    config: {
      ...criteria,
      caseSensitive: !i.caseInsensitive,
      tags: [...i.tags],
      minConfidence: QUALIFYING_RATE,
      specificity: i.specificity,
      dataTypes: [...i.dataTypes],
      ...(i.validator ? { validator: i.validator } : {}),
    },
    builtIn: true,
    createdBy: null,
    createdAt: null,
    updatedAt: null,
  };
}

/** Builds the view of a user-defined identifier: the pattern as written, and its canonical form. */
export function viewIdentifier(row: IdentifierRow, creators: ReadonlyMap<number, Creator>): ClassifierView {
  const written = row.source_pattern ?? row.pattern ?? '';
  const canonical = row.pattern !== null ? { canonical: row.pattern } : {};
  const criteria =
    row.type === 'dictionary'
      ? { values: [...(row.dictionary ?? [])] }
      : row.type === 'regex'
        ? { regex: written, ...canonical }
        : { columnNameRegex: written, ...canonical };
  return {
    name: row.name,
    displayName: row.display_name,
    description: row.description,
    type: row.type,
    config: {
      ...criteria,
      caseSensitive: row.case_sensitive,
      tags: [...row.tags],
      minConfidence: QUALIFYING_RATE,
      specificity: row.specificity,
      dataTypes: [...row.data_types],
    },
    builtIn: false,
    createdBy: row.created_by === null ? null : (creators.get(row.created_by) ?? null),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * Builds the view of a framework: the built-in one lists every built-in identifier; others list their
 * entries, each with the tags the framework applies for it as `overrides.tags`.
 */
export function viewTemplate(row: FrameworkRow, creators: ReadonlyMap<number, Creator>): TemplateView {
  const classifiers = row.built_in
    ? [...BUILTIN_BY_ID.keys()].map((name) => ({ name }))
    : row.identifiers.map((e) =>
        e.tags ? { name: e.name, overrides: { tags: [...e.tags] } } : { name: e.name },
      );
  return {
    name: row.name,
    displayName: row.display_name,
    description: row.description,
    classifiers,
    global: row.is_global,
    builtIn: row.built_in,
    createdBy: row.created_by === null ? null : (creators.get(row.created_by) ?? null),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
