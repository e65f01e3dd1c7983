import type { z } from 'zod';
import { recordAudit } from '../../../audit/record.ts';
import type { DataObjectRow } from '../../../connections/object-tree.ts';
import { dataSourceNames } from '../../../datasources/data-source-name.ts';
import { getDataSource } from '../../../datasources/data-source-row.ts';
import { AppError, type FieldError, fieldError } from '../../../errors/index.ts';
import { requestEnforcement } from '../../../policy/request-enforcement.ts';
import type { Db } from '../../../store/schema.ts';
import { loadObjectTags, tagsAt } from '../../../tags/object-tags.ts';
import { resolveTags, unknownTagAt } from '../../../tags/tag-store.ts';
import type { ServiceContext } from '../../context.ts';
import type { dictionarySchema } from '../../schemas/data-sources.ts';
import { assertOnDataSource, auditingDenials } from './authorize.ts';

/** The data dictionary of a data source as the API shows it. */
export type DictionaryView = z.infer<typeof dictionarySchema>;

async function viewDictionary(db: Db, row: DataObjectRow): Promise<DictionaryView> {
  const columns = await db
    .selectFrom('data_columns')
    .selectAll()
    .where('object_id', '=', row.id)
    .orderBy('position')
    .execute();
  const tags = await loadObjectTags(db, [row.id]);
  return {
    dataSource: row.id,
    dataSourceName: (await dataSourceNames(db, [row])).get(row.id)!,
    metadata: columns.map((c) => ({
      name: c.name,
      dataType: c.data_type,
      remoteType: c.remote_type,
      description: c.description,
      tags: tagsAt(tags, row.id, c.name),
    })),
  };
}

/** `GET /dictionary/{dataSourceId}`: every column with its types, description and tags. */
export async function getDictionary(db: Db, id: string): Promise<DictionaryView> {
  return viewDictionary(db, await getDataSource(db, id));
}

/** An edit of one column: a new description (null clears it) and/or the full list of its tags. */
export interface ColumnEdit {
  readonly name: string;
  readonly description?: string | null | undefined;
  readonly tags?: ReadonlyArray<{ readonly name: string }> | undefined;
}

function checkColumns(edits: readonly ColumnEdit[], known: ReadonlySet<string>): FieldError[] {
  const seen = new Map<string, number>();
  return edits.flatMap((edit, i) => {
    const first = seen.get(edit.name);
    seen.set(edit.name, first ?? i);
    if (!known.has(edit.name))
      return [fieldError('body', ['metadata', i, 'name'], 'is not a column of the data source')];
    if (first !== undefined)
      return [fieldError('body', ['metadata', i, 'name'], `names the same column as metadata[${first}]`)];
    return [];
  });
}

async function replaceColumnTags(
  trx: Db,
  row: DataObjectRow,
  column: string,
  tagIds: readonly number[],
  addedBy: number | null,
): Promise<void> {
  let stale = trx.deleteFrom('object_tags').where('object_id', '=', row.id).where('column_name', '=', column);
  if (tagIds.length > 0) stale = stale.where('tag_id', 'not in', [...tagIds]);
  await stale.execute();
  if (tagIds.length === 0) return;
  await trx
    .insertInto('object_tags')
    .values(
      tagIds.map((tagId) => ({
        object_id: row.id,
        column_name: column,
        tag_id: tagId,
        source: 'manual' as const,
        added_by: addedBy,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['object_id', 'column_name', 'tag_id'])
        .doUpdateSet({ status: 'active' })
        .where('object_tags.status', '<>', 'active'),
    )
    .execute();
}

/**
 * `PUT /dictionary/{dataSourceId}`: edits column descriptions and replaces the tags of the columns
 * listed (tags kept keep their source; new ones are `manual`). Columns not listed are unchanged; an
 * unknown column is 400 naming `metadata[i].name`. Object sync keeps edited descriptions. Needs
 * GOVERNANCE, or being an owner or expert of the data source.
 */
export async function updateDictionary(
  ctx: ServiceContext,
  id: string,
  edits: readonly ColumnEdit[],
): Promise<DictionaryView> {
  return auditingDenials(ctx, () =>
    ctx.deps.store.db.transaction().execute(async (trx) => {
      const row = await getDataSource(trx, id);
      await assertOnDataSource(trx, ctx, row, 'editMetadata');
      const columns = await trx
        .selectFrom('data_columns')
        .select('name')
        .where('object_id', '=', row.id)
        .execute();
      const errors = checkColumns(edits, new Set(columns.map((c) => c.name)));
      if (errors.length > 0) {
        throw new AppError('REQUEST_INVALID', `Invalid ${errors[0]!.field}: ${errors[0]!.detail}.`, {
          errors,
        });
      }
      const tagIds = await resolveTags(
        trx,
        edits.flatMap((e, i) =>
          (e.tags ?? []).map((t, j) => ({
            name: t.name,
            at: unknownTagAt(['metadata', i, 'tags', j, 'name']),
          })),
        ),
      );
      const addedBy = ctx.actor.type === 'USER_ACTOR' ? ctx.actor.id : null;
      for (const edit of edits) {
        if (edit.description !== undefined) {
          await trx
            .updateTable('data_columns')
            .set({ description: edit.description })
            .where('object_id', '=', row.id)
            .where('name', '=', edit.name)
            .execute();
        }
        if (edit.tags !== undefined) {
          const ids = [...new Set(edit.tags.map((t) => tagIds.get(t.name)!))];
          await replaceColumnTags(trx, row, edit.name, ids, addedBy);
        }
      }
      const view = await viewDictionary(trx, row);
      await requestEnforcement(trx, [row.connection_key]);
      await recordAudit(trx, ctx, {
        action: 'DictionaryUpdated',
        targets: [{ type: 'dataSource', id: row.id, name: view.dataSourceName }],
        payload: {
          columns: edits.map((e) => ({
            name: e.name,
            ...(e.description !== undefined ? { description: e.description } : {}),
            ...(e.tags !== undefined ? { tags: e.tags.map((t) => t.name) } : {}),
          })),
        },
      });
      return view;
    }),
  );
}
