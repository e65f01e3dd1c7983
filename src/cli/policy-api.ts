import type { ApiClient } from './client.ts';

/** A policy as the V2 policy API returns it; `document` is its canonical V2 document. */
export interface PolicyView {
  readonly id: number | string;
  readonly policyKey: string;
  readonly name: string;
  readonly type: string;
  readonly scope: 'global' | 'local';
  readonly dataSourceId: string | null;
  readonly staged: boolean;
  readonly status: 'active' | 'staged' | 'pending';
  readonly version: number;
  readonly document: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One changed field of a policy document: `before` is absent for an addition, `after` for a removal. */
export interface PolicyChange {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** A data source a policy change reaches, by id and name. */
export interface AffectedDataSource {
  readonly dataSourceId: string;
  readonly name: string;
}

/** The answer of `POST /api/v2/policy`, for a dry run or a real write. */
export interface PolicyUpsert {
  readonly dryRun: boolean;
  readonly action: 'created' | 'updated' | 'unchanged';
  readonly policy: PolicyView;
  readonly changes: readonly PolicyChange[];
  readonly affectedDataSources: readonly AffectedDataSource[];
}

/** Creates or updates a policy from its V2 document, or with `dryRun` only says what that would do. */
export function upsertPolicy(
  client: ApiClient,
  document: Readonly<Record<string, unknown>>,
  dryRun: boolean,
): Promise<PolicyUpsert> {
  return client.request<PolicyUpsert>('POST', '/api/v2/policy', {
    query: { dryRun: String(dryRun) },
    body: document,
  });
}

/** Returns every policy on the server. */
export async function listPolicies(client: ApiClient): Promise<readonly PolicyView[]> {
  const list = await client.get<{ count: number; hits: PolicyView[] }>('/api/v2/policy');
  return list.hits;
}

/** Deletes a policy by key (keys may hold spaces and slashes, so it is percent-encoded). */
export async function deletePolicy(client: ApiClient, policyKey: string): Promise<void> {
  await client.delete<unknown>(`/api/v2/policy/${encodeURIComponent(policyKey)}`);
}
