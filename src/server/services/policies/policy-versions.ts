import { AppError } from '../../../errors/index.ts';
import type { Db } from '../../../store/schema.ts';

/** One version of a policy: what changed, the document at that version, who changed it and when. */
export interface PolicyVersionView {
  readonly policyId: number;
  readonly version: number;
  readonly policyKey: string;
  readonly change: 'created' | 'updated' | 'deleted';
  readonly staged: boolean;
  readonly document: Record<string, unknown>;
  readonly changedAt: string;
  readonly changedBy: number | null;
}

/**
 * `GET /policy/{id}/versions`: every version of a policy, newest first, including its deletion (the
 * history outlives the policy). POLICY_NOT_FOUND when the id never named a policy.
 */
export async function listPolicyVersions(
  db: Db,
  policyId: number,
  page: { readonly offset: number; readonly limit: number },
): Promise<{ hits: PolicyVersionView[]; count: number }> {
  const total = await db
    .selectFrom('policy_versions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('policy_id', '=', policyId)
    .executeTakeFirstOrThrow();
  const count = Number(total.n);
  if (count === 0) throw new AppError('POLICY_NOT_FOUND', `There is no policy ${policyId}.`);
  const rows = await db
    .selectFrom('policy_versions')
    .selectAll()
    .where('policy_id', '=', policyId)
    .orderBy('version', 'desc')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return {
    count,
    hits: rows.map((r) => ({
      policyId: r.policy_id,
      version: r.version,
      policyKey: r.policy_key,
      change: r.change,
      staged: r.staged,
      document: r.document,
      changedAt: new Date(r.changed_at).toISOString(),
      changedBy: r.changed_by,
    })),
  };
}
