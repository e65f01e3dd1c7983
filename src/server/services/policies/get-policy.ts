import type { Db } from '../../../store/schema.ts';
import { findPolicy, type PolicyLookup, type PolicyScopeFilter } from './find-policy.ts';
import { type PolicyView, viewPolicies } from './policy-view.ts';

/** `GET /api/v2/policy/{policyKey}`, `GET /policy/global/{id}`: one policy with its document and status. */
export async function getPolicy(
  db: Db,
  lookup: PolicyLookup,
  where?: PolicyScopeFilter,
): Promise<PolicyView> {
  const [view] = await viewPolicies(db, [await findPolicy(db, lookup, where)]);
  return view!;
}
