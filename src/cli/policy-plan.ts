import { ApiError } from './api-error.ts';
import type { ApiClient } from './client.ts';
import {
  type AffectedDataSource,
  listPolicies,
  type PolicyChange,
  type PolicyUpsert,
  upsertPolicy,
} from './policy-api.ts';
import { type LocalPolicy, sourceText } from './policy-files.ts';

/** What applying a plan does to one policy. */
export type PlanAction = 'create' | 'update' | 'delete' | 'unchanged';

/** One policy of a plan: a local document (create, update, unchanged) or a server policy to delete. */
export interface PlanEntry {
  readonly policyKey: string;
  readonly action: PlanAction;
  /** The local document; null for a deletion. */
  readonly local: LocalPolicy | null;
  readonly changes: readonly PolicyChange[];
  readonly affectedDataSources: readonly AffectedDataSource[];
}

/** What `policy apply` would change: local documents in file order, then deletions by key. */
export interface PolicyPlan {
  readonly entries: readonly PlanEntry[];
  /** Server policies with no local document, kept because pruning was not asked for. */
  readonly notManaged: readonly string[];
}

/** A local document the server refused in its dry run. */
export interface PlanFailure {
  readonly local: LocalPolicy;
  readonly error: ApiError;
}

/** A plan, or the documents that kept it from being made. */
export type PlanResult =
  | { readonly ok: true; readonly plan: PolicyPlan }
  | { readonly ok: false; readonly failures: readonly PlanFailure[] };

/** How many dry runs are in flight at once. */
const PARALLEL_DRY_RUNS = 4;

/** Statuses of a problem with the document itself, as opposed to the key, the server or the route. */
const DOCUMENT_STATUSES = new Set([400, 409, 422]);

const ACTION_OF: Readonly<Record<PolicyUpsert['action'], PlanAction>> = {
  created: 'create',
  updated: 'update',
  unchanged: 'unchanged',
};

/** Returns the error with its detail prefixed by the file, line and key of the document it is about. */
export function locatedError(local: LocalPolicy, error: ApiError): ApiError {
  const where = `${sourceText(local)} (policy ${JSON.stringify(local.policyKey)})`;
  return new ApiError(error.status, error.code, `${where}: ${error.detail}`, error.errors, error.extensions);
}

type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** Runs `fn` over the items, at most `limit` at a time, and returns each outcome in item order. */
async function settleAll<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<Settled<R>[]> {
  const results: Settled<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { ok: true, value: await fn(items[i]!) };
      } catch (error) {
        results[i] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Plans a directory of policy documents against the server: a dry run of each, and the server policies
 * without a document, to delete with `prune` or else to list as not managed here. Documents the server
 * refuses are returned as failures; any other error (unreachable server, bad key) is thrown.
 */
export async function planPolicies(
  client: ApiClient,
  locals: readonly LocalPolicy[],
  prune: boolean,
): Promise<PlanResult> {
  const [server, dryRuns] = await Promise.all([
    listPolicies(client),
    settleAll(locals, PARALLEL_DRY_RUNS, (local) => upsertPolicy(client, local.document, true)),
  ]);
  const entries: PlanEntry[] = [];
  const failures: PlanFailure[] = [];
  dryRuns.forEach((outcome, i) => {
    const local = locals[i]!;
    if (outcome.ok) {
      const { action, changes, affectedDataSources } = outcome.value;
      entries.push({
        policyKey: local.policyKey,
        action: ACTION_OF[action],
        local,
        changes,
        affectedDataSources,
      });
    } else if (outcome.error instanceof ApiError && DOCUMENT_STATUSES.has(outcome.error.status)) {
      failures.push({ local, error: outcome.error });
    } else {
      throw outcome.error;
    }
  });
  if (failures.length > 0) return { ok: false, failures };
  const localKeys = new Set(locals.map((l) => l.policyKey));
  const others = server
    .map((p) => p.policyKey)
    .filter((key) => !localKeys.has(key))
    .sort();
  for (const policyKey of prune ? others : []) {
    entries.push({ policyKey, action: 'delete', local: null, changes: [], affectedDataSources: [] });
  }
  return { ok: true, plan: { entries, notManaged: prune ? [] : others } };
}

/** Counts a plan's entries by action. */
export function planCounts(plan: PolicyPlan): Readonly<Record<PlanAction, number>> {
  const counts = { create: 0, update: 0, delete: 0, unchanged: 0 };
  for (const entry of plan.entries) counts[entry.action]++;
  return counts;
}

/** True when applying the plan would change anything. */
export function planHasChanges(plan: PolicyPlan): boolean {
  return plan.entries.some((e) => e.action !== 'unchanged');
}
