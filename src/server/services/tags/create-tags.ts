import { recordAudit } from '../../../audit/record.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import { insertTagLineage, type NewTag } from '../../../tags/tag-store.ts';
import type { ServiceContext } from '../../context.ts';
import { type TagView, viewTag } from './tag-view.ts';

/** What creating tags did: the tags asked for, and every tag created (missing parents included). */
export interface CreatedTags {
  readonly tags: TagView[];
  readonly created: string[];
}

/**
 * `POST /tag`: creates tags, with any missing parents (`PII.Email` also creates `PII`). A tag named
 * twice in the request, or one that already exists, is refused, naming its field (`fieldOf(i)`).
 */
export async function createTags(
  ctx: ServiceContext,
  tags: readonly NewTag[],
  fieldOf: (index: number) => readonly PropertyKey[],
): Promise<CreatedTags> {
  const seen = new Map<string, number>();
  const twice = tags.flatMap((t, i) => {
    const first = seen.get(t.name);
    if (first === undefined) seen.set(t.name, i);
    return first === undefined ? [] : [fieldError('body', fieldOf(i), `names the same tag as item ${first}`)];
  });
  if (twice.length > 0) throw new AppError('REQUEST_INVALID', 'A tag is named twice.', { errors: twice });
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const createdBy = ctx.actor.type === 'USER_ACTOR' ? ctx.actor.id : null;
    const created = await insertTagLineage(trx, tags, 'manual', createdBy);
    const made = new Set(created);
    const taken = tags.flatMap((t, i) => (made.has(t.name) ? [] : [{ t, i }]));
    if (taken.length > 0) {
      throw new AppError(
        'TAG_TAKEN',
        `The tag ${taken.map(({ t }) => JSON.stringify(t.name)).join(', ')} already exists.`,
        { errors: taken.map(({ i }) => fieldError('body', fieldOf(i), 'already exists')) },
      );
    }
    const rows = await trx
      .selectFrom('tags')
      .selectAll()
      .where('name', 'in', created)
      .orderBy('name')
      .execute();
    await recordAudit(trx, ctx, {
      action: 'TagCreated',
      targets: rows.map((r) => ({ type: 'tag', id: String(r.id), name: r.name })),
      payload: { tags: tags.map((t) => t.name), created },
    });
    const byName = new Map(rows.map((r) => [r.name, viewTag(r)]));
    return { tags: tags.map((t) => byName.get(t.name)!), created };
  });
}
