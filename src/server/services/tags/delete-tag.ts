import { recordAudit } from '../../../audit/record.ts';
import { AppError } from '../../../errors/index.ts';
import { tagOrDescendant } from '../../../tags/tag-match.ts';
import {
  findTagUsage,
  TAG_USAGE_CHECKS,
  type TagUsage,
  type TagUsageCheck,
} from '../../../tags/tag-usage.ts';
import type { ServiceContext } from '../../context.ts';

/** What deleting a tag did: the tags deleted (it and its descendants) and what used them. */
export interface DeletedTag {
  readonly deleted: string[];
  readonly usage: TagUsage[];
}

/**
 * `DELETE /tag/{tag}`: deletes a tag together with its descendants. While any of them is in use (on a
 * data source or column, or by anything registered in the usage checks) it is refused with
 * TAG_IN_USE, unless `force`, which also removes it from everything it was applied to.
 */
export async function deleteTag(
  ctx: ServiceContext,
  name: string,
  force: boolean,
  checks: readonly TagUsageCheck[] = TAG_USAGE_CHECKS,
): Promise<DeletedTag> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const tags = await trx
      .selectFrom('tags')
      .select(['id', 'name'])
      .where(tagOrDescendant('name', name))
      .orderBy('name')
      .forUpdate()
      .execute();
    if (!tags.some((t) => t.name === name)) {
      throw new AppError('TAG_NOT_FOUND', `There is no tag ${JSON.stringify(name)}.`);
    }
    const usage = await findTagUsage(trx, tags, checks);
    if (usage.length > 0 && !force) {
      const uses = usage.map((u) => `${u.count} ${u.kind}${u.count === 1 ? '' : 's'}`).join(', ');
      throw new AppError(
        'TAG_IN_USE',
        `The tag ${JSON.stringify(name)} (or a tag below it) is used by ${uses}; remove it from them first, or delete with force=true.`,
        { extensions: { usage } },
      );
    }
    await trx
      .deleteFrom('tags')
      .where(
        'id',
        'in',
        tags.map((t) => t.id),
      )
      .execute();
    const deleted = tags.map((t) => t.name);
    await recordAudit(trx, ctx, {
      action: 'TagDeleted',
      targets: tags.map((t) => ({ type: 'tag', id: String(t.id), name: t.name })),
      payload: { name, deleted, force, usage },
    });
    return { deleted, usage };
  });
}
