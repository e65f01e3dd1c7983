import type { Db } from '../../../store/schema.ts';
import { insertTagLineage } from '../../../tags/tag-store.ts';
import type { ServiceContext } from '../../context.ts';

/**
 * Creates the tags an identifier or a framework names, with their ancestors, as discovered tags; tags
 * that exist already are left as they are. Returns the names it created.
 */
export async function ensureDiscoveredTags(
  trx: Db,
  ctx: ServiceContext,
  tags: readonly string[],
): Promise<string[]> {
  return insertTagLineage(
    trx,
    [...new Set(tags)].map((name) => ({ name })),
    'discovered',
    actorId(ctx),
  );
}

/** Returns the id of the acting user, or null for Steward itself. */
export function actorId(ctx: ServiceContext): number | null {
  return ctx.actor.type === 'USER_ACTOR' ? ctx.actor.id : null;
}
