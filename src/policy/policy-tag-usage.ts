import type { Db } from '../store/schema.ts';
import { analyzePolicy, type PolicyDocument } from './document.ts';

async function tagsOf(row: {
  readonly id: number;
  readonly scope: 'global' | 'local';
  readonly document: Record<string, unknown>;
}): Promise<Set<string>> {
  const identity = { id: row.id, scope: row.scope };
  try {
    const { references } = await analyzePolicy(row.document as PolicyDocument, identity);
    return new Set(references.tags.map((t) => t.tag));
  } catch {
    // A document that no longer normalizes still counts for every tag its text names, to be safe.
    const text = JSON.stringify(row.document);
    return new Set(
      [...text.matchAll(/"(?:tag|columnTag)":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`)),
    );
  }
}

/**
 * A tag usage check (see `TAG_USAGE_CHECKS`): counts the policies, staged or active, that name any of
 * the tags in a circumstance, a column selector or an `@columnTagged(...)` of their WHERE clauses.
 */
export async function policyTagUsage(
  db: Db,
  tags: readonly { readonly id: number; readonly name: string }[],
): Promise<{ kind: string; count: number }[]> {
  if (tags.length === 0) return [];
  const names = new Set(tags.map((t) => t.name));
  const rows = await db.selectFrom('policies').select(['id', 'scope', 'document']).execute();
  let count = 0;
  for (const row of rows) {
    const used = await tagsOf(row);
    if ([...names].some((n) => used.has(n))) count++;
  }
  return count === 0 ? [] : [{ kind: 'policy', count }];
}
