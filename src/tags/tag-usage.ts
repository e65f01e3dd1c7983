import { policyTagUsage } from '../policy/policy-tag-usage.ts';
import type { Db } from '../store/schema.ts';
import { onLiveColumn } from './tag-match.ts';

/** A tag a usage check is asked about. */
export interface TagRef {
  readonly id: number;
  readonly name: string;
}

/** How much one kind of thing uses a set of tags: `{kind: 'column', count: 3}`. */
export interface TagUsage {
  readonly kind: string;
  readonly count: number;
}

/**
 * Finds what uses any of the given tags. A feature that references tags (policies, frameworks...)
 * adds its check to `TAG_USAGE_CHECKS`, so a tag it uses cannot be deleted without `force`.
 */
export type TagUsageCheck = (db: Db, tags: readonly TagRef[]) => Promise<readonly TagUsage[]>;

/** Counts the data sources and columns that carry any of the tags. */
export const dataSourceTagUsage: TagUsageCheck = async (db, tags) => {
  if (tags.length === 0) return [];
  const rows = await db
    .selectFrom('object_tags as ot')
    .select((eb) => [
      eb.fn.count<string>('ot.object_id').filterWhere('ot.column_name', '=', '').as('sources'),
      eb.fn.count<string>('ot.object_id').filterWhere('ot.column_name', '<>', '').as('columns'),
    ])
    .where(
      'ot.tag_id',
      'in',
      tags.map((t) => t.id),
    )
    .where('ot.status', '=', 'active')
    .where(onLiveColumn('ot'))
    .executeTakeFirstOrThrow();
  return [
    { kind: 'dataSource', count: Number(rows.sources) },
    { kind: 'column', count: Number(rows.columns) },
  ].filter((u) => u.count > 0);
};

/** Every registered usage check; later features append theirs here. */
export const TAG_USAGE_CHECKS: readonly TagUsageCheck[] = [dataSourceTagUsage, policyTagUsage];

/** Runs the usage checks over the tags and returns every non-zero usage found. */
export async function findTagUsage(
  db: Db,
  tags: readonly TagRef[],
  checks: readonly TagUsageCheck[] = TAG_USAGE_CHECKS,
): Promise<TagUsage[]> {
  const found: TagUsage[] = [];
  for (const check of checks) found.push(...(await check(db, tags)));
  return found.filter((u) => u.count > 0);
}
