import { sql } from 'kysely';
import { recordAudit } from '../../../audit/record.ts';
import { AppError } from '../../../errors/index.ts';
import { requestEnforcement } from '../../../policy/request-enforcement.ts';
import type { Db } from '../../../store/schema.ts';
import { type AppliedTag, loadObjectTags, tagsAt } from '../../../tags/object-tags.ts';
import { resolveTags, unknownTagAt } from '../../../tags/tag-store.ts';
import type { ServiceContext } from '../../context.ts';
import { assertOnDataSource, auditingDenials } from '../datasources/authorize.ts';
import { loadTagTarget, type TagTarget, targetColumn, targetModelId } from './tag-target.ts';

/** The tags on a data source or column after a change. */
export interface TargetTags {
  readonly modelType: TagTarget['modelType'];
  readonly modelId: string;
  readonly tags: AppliedTag[];
}

async function tagsOfTarget(db: Db, target: TagTarget): Promise<TargetTags> {
  const tags = await loadObjectTags(db, [target.dataSourceId]);
  return {
    modelType: target.modelType,
    modelId: targetModelId(target),
    tags: tagsAt(tags, target.dataSourceId, targetColumn(target)),
  };
}

/**
 * `POST /tag/{modelType}/{modelId}`: applies existing tags to a data source or a column (source
 * `manual`); a tag already there stays as it is, and one rejected earlier becomes active again.
 * Needs GOVERNANCE, or being an owner or expert of the data source.
 */
export async function applyTags(
  ctx: ServiceContext,
  target: TagTarget,
  tags: ReadonlyArray<{ name: string; path: readonly PropertyKey[] }>,
): Promise<TargetTags> {
  return auditingDenials(ctx, () =>
    ctx.deps.store.db.transaction().execute(async (trx) => {
      const loaded = await loadTagTarget(trx, target);
      await assertOnDataSource(trx, ctx, loaded.row, 'editMetadata');
      const ids = await resolveTags(
        trx,
        tags.map((t) => ({ name: t.name, at: unknownTagAt(t.path) })),
      );
      const column = targetColumn(target);
      const addedBy = ctx.actor.type === 'USER_ACTOR' ? ctx.actor.id : null;
      const changed = await trx
        .insertInto('object_tags')
        .values(
          [...ids.values()].map((tagId) => ({
            object_id: loaded.row.id,
            column_name: column,
            tag_id: tagId,
            source: 'manual' as const,
            added_by: addedBy,
          })),
        )
        .onConflict((oc) =>
          oc
            .columns(['object_id', 'column_name', 'tag_id'])
            .doUpdateSet({ status: 'active', added_by: addedBy, added_at: sql`now()` })
            .where('object_tags.status', '<>', 'active'),
        )
        .returning('tag_id')
        .execute();
      const names = new Map([...ids].map(([name, id]) => [id, name]));
      await requestEnforcement(trx, [loaded.row.connection_key]);
      await recordAudit(trx, ctx, {
        action: 'TagsApplied',
        targets: [loaded.audit],
        payload: { tags: [...ids.keys()], added: changed.map((c) => names.get(c.tag_id)) },
      });
      return tagsOfTarget(trx, target);
    }),
  );
}

/**
 * `DELETE /tag/{modelType}/{modelId}/{tag}`: removes one tag from a data source or column (its
 * descendants stay). A tag discovery applied is marked rejected instead, so discovery does not put it
 * back. Needs GOVERNANCE, or being an owner or expert of the data source.
 */
export async function removeTag(ctx: ServiceContext, target: TagTarget, name: string): Promise<TargetTags> {
  return auditingDenials(ctx, () =>
    ctx.deps.store.db.transaction().execute(async (trx) => {
      const loaded = await loadTagTarget(trx, target);
      await assertOnDataSource(trx, ctx, loaded.row, 'editMetadata');
      const applied = await trx
        .selectFrom('object_tags as ot')
        .innerJoin('tags as t', 't.id', 'ot.tag_id')
        .select(['ot.tag_id', 'ot.source'])
        .where('ot.object_id', '=', loaded.row.id)
        .where('ot.column_name', '=', targetColumn(target))
        .where('ot.status', '=', 'active')
        .where('t.name', '=', name)
        .executeTakeFirst();
      if (!applied) {
        throw new AppError(
          'TAG_NOT_FOUND',
          `The ${target.modelType} ${targetModelId(target)} has no tag ${JSON.stringify(name)}.`,
        );
      }
      const column = targetColumn(target);
      if (applied.source === 'discovered') {
        await trx
          .updateTable('object_tags')
          .set({ status: 'rejected' })
          .where('object_id', '=', loaded.row.id)
          .where('column_name', '=', column)
          .where('tag_id', '=', applied.tag_id)
          .execute();
      } else {
        await trx
          .deleteFrom('object_tags')
          .where('object_id', '=', loaded.row.id)
          .where('column_name', '=', column)
          .where('tag_id', '=', applied.tag_id)
          .execute();
      }
      await requestEnforcement(trx, [loaded.row.connection_key]);
      await recordAudit(trx, ctx, {
        action: 'TagRemoved',
        targets: [loaded.audit],
        payload: { tag: name, source: applied.source, rejected: applied.source === 'discovered' },
      });
      return tagsOfTarget(trx, target);
    }),
  );
}
