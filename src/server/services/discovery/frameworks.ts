import { sql } from 'kysely';
import { recordAudit } from '../../../audit/record.ts';
import type { FrameworkRow } from '../../../discovery/registry.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import type { TemplateBody } from '../../schemas/sdd.ts';
import { isUniqueViolation } from '../people/unique-violation.ts';
import { actorId, ensureDiscoveredTags } from './discovered-tags.ts';
import { resolveEntries } from './framework-entries.ts';
import { creatorsOf, type TemplateView, viewTemplate } from './sdd-views.ts';

/** Where a framework is in use: whether it is global, and how many data sources and domains it is assigned to. */
export interface FrameworkUsage {
  readonly global: boolean;
  readonly dataSources: number;
  readonly domains: number;
}

/** What deleting a framework did: the framework as it was and where it had been in use. */
export type DeletedFramework = TemplateView & { readonly usage: FrameworkUsage };

/** Fails with SDD_TEMPLATE_NOT_FOUND naming `field` (the path parameter unless told). */
export function templateNotFound(name: string, at = fieldError('params', ['name'], 'is not a framework')) {
  return new AppError('SDD_TEMPLATE_NOT_FOUND', `There is no framework ${JSON.stringify(name)}.`, {
    errors: [at],
  });
}

/** Loads a framework for update; the built-in one is SDD_BUILTIN_READ_ONLY (`verb` says what was tried). */
async function lockEditable(trx: Db, name: string, verb: string): Promise<FrameworkRow> {
  const row = await trx
    .selectFrom('sdd_frameworks')
    .selectAll()
    .where('name', '=', name)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw templateNotFound(name);
  if (row.built_in) {
    throw new AppError('SDD_BUILTIN_READ_ONLY', `${name} is the built-in framework; it cannot be ${verb}.`, {
      errors: [fieldError('params', ['name'], `is the built-in framework and cannot be ${verb}`)],
    });
  }
  return row;
}

function taken(field: 'name' | 'displayName', value: string): AppError {
  return new AppError('SDD_TEMPLATE_TAKEN', `A framework is already named ${JSON.stringify(value)}.`, {
    errors: [fieldError('body', [field], 'is taken')],
  });
}

async function checkNames(trx: Db, body: TemplateBody, except: number | null): Promise<void> {
  let query = trx
    .selectFrom('sdd_frameworks')
    .select(['name', 'display_name'])
    .where((eb) =>
      eb.or([
        eb('name', '=', body.name),
        eb(sql<string>`lower(display_name)`, '=', body.displayName.toLowerCase()),
      ]),
    );
  if (except !== null) query = query.where('id', '<>', except);
  const clash = await query.executeTakeFirst();
  if (clash)
    throw clash.name === body.name ? taken('name', body.name) : taken('displayName', body.displayName);
}

async function viewOf(trx: Db, row: FrameworkRow): Promise<TemplateView> {
  return viewTemplate(row, await creatorsOf(trx, [row]));
}

/** The tags a framework's entries apply. */
const entryTags = (row: FrameworkRow) => row.identifiers.flatMap((e) => e.tags ?? []);

/**
 * `POST /sdd/template`: creates a framework of existing identifiers (SDD_CLASSIFIER_UNKNOWN names any
 * that does not exist), each entry applying `overrides.tags` or a copy of the identifier's tags.
 */
export async function createFramework(ctx: ServiceContext, body: TemplateBody): Promise<TemplateView> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    await checkNames(trx, body, null);
    const entries = await resolveEntries(trx, body.classifiers);
    const row = await trx
      .insertInto('sdd_frameworks')
      .values({
        name: body.name,
        display_name: body.displayName,
        description: body.description,
        identifiers: JSON.stringify(entries),
        created_by: actorId(ctx),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? taken('name', body.name) : error;
      });
    const createdTags = await ensureDiscoveredTags(trx, ctx, entryTags(row));
    await recordAudit(trx, ctx, {
      action: 'SddTemplateCreated',
      targets: [{ type: 'sddTemplate', id: String(row.id), name: row.name }],
      payload: { name: row.name, classifiers: entries.map((e) => e.name), createdTags },
    });
    return viewOf(trx, row);
  });
}

/**
 * `PUT /sdd/template/{name}`: replaces a framework's display name, description and identifiers; an
 * identifier it already held keeps the tags it applied unless `overrides.tags` says otherwise. The
 * built-in framework cannot be edited, and frameworks cannot be renamed.
 */
export async function updateFramework(
  ctx: ServiceContext,
  name: string,
  body: TemplateBody,
): Promise<TemplateView> {
  if (body.name !== name) {
    throw new AppError('REQUEST_INVALID', 'Frameworks cannot be renamed.', {
      errors: [fieldError('body', ['name'], `must be ${name}, the framework being updated`)],
    });
  }
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const before = await lockEditable(trx, name, 'edited');
    await checkNames(trx, body, before.id);
    const entries = await resolveEntries(trx, body.classifiers, before.identifiers);
    const row = await trx
      .updateTable('sdd_frameworks')
      .set({
        display_name: body.displayName,
        description: body.description,
        identifiers: JSON.stringify(entries),
        updated_at: sql`now()`,
      })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const createdTags = await ensureDiscoveredTags(trx, ctx, entryTags(row));
    await recordAudit(trx, ctx, {
      action: 'SddTemplateUpdated',
      targets: [{ type: 'sddTemplate', id: String(row.id), name: row.name }],
      payload: {
        name,
        before: before.identifiers.map((e) => e.name),
        after: entries.map((e) => e.name),
        createdTags,
      },
    });
    return viewOf(trx, row);
  });
}

/** Counts where a framework is in use. */
async function usageOf(trx: Db, row: FrameworkRow): Promise<FrameworkUsage> {
  const count = async (table: 'data_objects' | 'domains') =>
    Number(
      (
        await trx
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('sdd_framework_id', '=', row.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { global: row.is_global, dataSources: await count('data_objects'), domains: await count('domains') };
}

/**
 * `DELETE /sdd/template/{name}`: deletes a framework. The built-in one cannot be deleted; one that is
 * global or assigned to data sources or domains is refused with SDD_TEMPLATE_IN_USE unless `force`, after
 * which those data sources and domains fall back to the next framework in line (and, if it was global,
 * no framework is global until another is made so).
 */
export async function deleteFramework(
  ctx: ServiceContext,
  name: string,
  force: boolean,
): Promise<DeletedFramework> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const row = await lockEditable(trx, name, 'deleted');
    const usage = await usageOf(trx, row);
    const inUse = usage.global || usage.dataSources > 0 || usage.domains > 0;
    if (inUse && !force) {
      const where = [
        ...(usage.global ? ['is the global framework'] : []),
        ...(usage.dataSources > 0 ? [`is assigned to ${usage.dataSources} data source(s)`] : []),
        ...(usage.domains > 0 ? [`is assigned to ${usage.domains} domain(s)`] : []),
      ];
      throw new AppError(
        'SDD_TEMPLATE_IN_USE',
        `The framework ${name} ${where.join(' and ')}; change that first, or delete with force=true.`,
        { extensions: { usage } },
      );
    }
    const view = await viewOf(trx, row);
    await trx.deleteFrom('sdd_frameworks').where('id', '=', row.id).execute();
    await recordAudit(trx, ctx, {
      action: 'SddTemplateDeleted',
      targets: [{ type: 'sddTemplate', id: String(row.id), name: row.name }],
      payload: { name, force, usage },
    });
    return { ...view, usage };
  });
}
