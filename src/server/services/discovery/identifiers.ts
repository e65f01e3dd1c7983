import { sql } from 'kysely';
import { recordAudit } from '../../../audit/record.ts';
import { BUILTIN_BY_ID, type IdentifierRow } from '../../../discovery/registry.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import type { ClassifierBody } from '../../schemas/sdd.ts';
import { isUniqueViolation } from '../people/unique-violation.ts';
import { actorId, ensureDiscoveredTags } from './discovered-tags.ts';
import { identifierColumns } from './identifier-criteria.ts';
import { type ClassifierView, creatorsOf, viewIdentifier } from './sdd-views.ts';

/** What deleting an identifier did: the identifier as it was, and the frameworks it was taken out of. */
export type DeletedIdentifier = ClassifierView & { readonly removedFrom: string[] };

/** Refuses a change to a built-in identifier, naming the path parameter. */
export function refuseBuiltin(name: string, verb: string): void {
  if (!BUILTIN_BY_ID.has(name)) return;
  throw new AppError('SDD_BUILTIN_READ_ONLY', `${name} is a built-in identifier; it cannot be ${verb}.`, {
    errors: [fieldError('params', ['name'], `is a built-in identifier and cannot be ${verb}`)],
  });
}

/** Loads a user-defined identifier for update, or fails with SDD_CLASSIFIER_NOT_FOUND. */
async function lockIdentifier(trx: Db, name: string): Promise<IdentifierRow> {
  const row = await trx
    .selectFrom('sdd_identifiers')
    .selectAll()
    .where('name', '=', name)
    .forUpdate()
    .executeTakeFirst();
  if (!row) {
    throw new AppError('SDD_CLASSIFIER_NOT_FOUND', `There is no identifier ${JSON.stringify(name)}.`, {
      errors: [fieldError('params', ['name'], 'is not an identifier')],
    });
  }
  return row;
}

/** Fails with SDD_CLASSIFIER_TAKEN when another identifier (built-in or not) has the display name. */
async function checkDisplayName(trx: Db, displayName: string, except: string | null): Promise<void> {
  const lower = displayName.toLowerCase();
  const builtin = [...BUILTIN_BY_ID.values()].some((i) => i.name.toLowerCase() === lower);
  let query = trx
    .selectFrom('sdd_identifiers')
    .select('name')
    .where(sql<boolean>`lower(display_name) = ${lower}`);
  if (except !== null) query = query.where('name', '<>', except);
  if (builtin || (await query.executeTakeFirst()) !== undefined) throw displayNameTaken(displayName);
}

function displayNameTaken(displayName: string): AppError {
  return new AppError(
    'SDD_CLASSIFIER_TAKEN',
    `An identifier is already named ${JSON.stringify(displayName)}.`,
    { errors: [fieldError('body', ['displayName'], 'is taken')] },
  );
}

function nameTaken(name: string): AppError {
  return new AppError('SDD_CLASSIFIER_TAKEN', `An identifier ${name} already exists.`, {
    errors: [fieldError('body', ['name'], BUILTIN_BY_ID.has(name) ? 'is a built-in identifier' : 'is taken')],
  });
}

async function viewOf(trx: Db, row: IdentifierRow): Promise<ClassifierView> {
  return viewIdentifier(row, await creatorsOf(trx, [row]));
}

/**
 * `POST /sdd/classifier`: creates an identifier. Names and display names are unique across built-in
 * and user-defined identifiers (SDD_CLASSIFIER_TAKEN); the pattern must be in the portable subset
 * (SDD_PATTERN_INVALID); missing tags are created under `Discovered.`.
 */
export async function createIdentifier(ctx: ServiceContext, body: ClassifierBody): Promise<ClassifierView> {
  if (BUILTIN_BY_ID.has(body.name)) throw nameTaken(body.name);
  const columns = identifierColumns(body);
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('sdd_identifiers')
      .select('name')
      .where('name', '=', body.name)
      .executeTakeFirst();
    if (existing) throw nameTaken(body.name);
    await checkDisplayName(trx, body.displayName, null);
    const row = await trx
      .insertInto('sdd_identifiers')
      .values({ name: body.name, ...columns, created_by: actorId(ctx) })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? nameTaken(body.name) : error;
      });
    const createdTags = await ensureDiscoveredTags(trx, ctx, row.tags);
    await recordAudit(trx, ctx, {
      action: 'SddClassifierCreated',
      targets: [{ type: 'sddClassifier', id: row.name, name: row.display_name }],
      payload: { name: row.name, type: row.type, tags: row.tags, createdTags },
    });
    return viewOf(trx, row);
  });
}

/**
 * `PUT /sdd/classifier/{name}`: replaces an identifier's definition. Built-ins cannot be edited
 * (SDD_BUILTIN_READ_ONLY) and identifiers cannot be renamed. A new rule applies in every framework that
 * holds the identifier; new tags only in frameworks it joins later (each framework keeps its copy).
 */
export async function updateIdentifier(
  ctx: ServiceContext,
  name: string,
  body: ClassifierBody,
): Promise<ClassifierView> {
  refuseBuiltin(name, 'edited');
  if (body.name !== name) {
    throw new AppError('REQUEST_INVALID', 'Identifiers cannot be renamed.', {
      errors: [fieldError('body', ['name'], `must be ${name}, the identifier being updated`)],
    });
  }
  const columns = identifierColumns(body);
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const before = await lockIdentifier(trx, name);
    await checkDisplayName(trx, body.displayName, name);
    const row = await trx
      .updateTable('sdd_identifiers')
      .set({ ...columns, updated_at: sql`now()` })
      .where('name', '=', name)
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? displayNameTaken(body.displayName) : error;
      });
    const createdTags = await ensureDiscoveredTags(trx, ctx, row.tags);
    await recordAudit(trx, ctx, {
      action: 'SddClassifierUpdated',
      targets: [{ type: 'sddClassifier', id: row.name, name: row.display_name }],
      payload: {
        name,
        before: { type: before.type, pattern: before.source_pattern, tags: before.tags },
        after: { type: row.type, pattern: row.source_pattern, tags: row.tags },
        createdTags,
      },
    });
    return viewOf(trx, row);
  });
}

/**
 * `DELETE /sdd/classifier/{name}`: deletes an identifier. Built-ins cannot be deleted; one that a
 * framework holds is refused with SDD_CLASSIFIER_IN_USE listing the frameworks, unless `force`, which
 * also takes it out of them.
 */
export async function deleteIdentifier(
  ctx: ServiceContext,
  name: string,
  force: boolean,
): Promise<DeletedIdentifier> {
  refuseBuiltin(name, 'deleted');
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const row = await lockIdentifier(trx, name);
    const users = await trx
      .selectFrom('sdd_frameworks')
      .selectAll()
      .where(sql<boolean>`identifiers @> ${JSON.stringify([{ name }])}::jsonb`)
      .orderBy('name')
      .forUpdate()
      .execute();
    const templates = users.map((f) => f.name);
    if (users.length > 0 && !force) {
      throw new AppError(
        'SDD_CLASSIFIER_IN_USE',
        `The identifier ${name} is in the framework${templates.length === 1 ? '' : 's'} ${templates.join(', ')}; take it out of them first, or delete with force=true.`,
        { extensions: { templates } },
      );
    }
    for (const framework of users) {
      const identifiers = framework.identifiers.filter((e) => e.name !== name);
      await trx
        .updateTable('sdd_frameworks')
        .set({ identifiers: JSON.stringify(identifiers), updated_at: sql`now()` })
        .where('id', '=', framework.id)
        .execute();
    }
    const view = await viewOf(trx, row);
    await trx.deleteFrom('sdd_identifiers').where('name', '=', name).execute();
    await recordAudit(trx, ctx, {
      action: 'SddClassifierDeleted',
      targets: [
        { type: 'sddClassifier', id: name, name: row.display_name },
        ...users.map((f) => ({ type: 'sddTemplate', id: String(f.id), name: f.name })),
      ],
      payload: { name, type: row.type, force, removedFrom: templates },
    });
    return { ...view, removedFrom: templates };
  });
}
