import { sql } from 'kysely';
import { getDataSource } from '../../../datasources/data-source-row.ts';
import { principalOf } from '../../../entitlements/compute.ts';
import { AppError } from '../../../errors/index.ts';
import type { AccessPlan } from '../../../policy/access-plan.ts';
import { describeCondition, maskView } from '../../../policy/describe.ts';
import { conditionHolds } from '../../../policy/evaluate.ts';
import { type Subject, subject } from '../../../policy/subject.ts';
import type { Db } from '../../../store/schema.ts';
import { computePlans } from './compute-plans.ts';

/** A policy as explanations name it. */
interface PolicyName {
  readonly policyKey: string;
  readonly name: string;
}

/** What one person gets from one data source, and why (the reference's `policyInfo`). */
export interface PolicyInfo {
  readonly dataSource: { readonly id: string; readonly name: string };
  readonly user: { readonly id: number; readonly username: string; readonly principal: string | null };
  readonly subscribed: {
    readonly value: boolean;
    readonly reason: string;
    readonly policies: (PolicyName & { readonly role: string })[];
  };
  readonly masks: {
    readonly column: string;
    readonly mask: Record<string, unknown>;
    readonly applies: boolean;
    readonly reason: string;
    readonly fallback?: string;
    readonly conditional: boolean;
    readonly winner: PolicyName;
    readonly losers: { readonly policy: PolicyName; readonly reason: string }[];
  }[];
  readonly rowFilters: {
    readonly description: string;
    readonly applies: boolean;
    readonly policy: PolicyName;
  }[];
  readonly skipped: { readonly policy: PolicyName; readonly reason: string }[];
}

/** Loads the subject facts of a user as the entitlement tables of a connection hold them. */
export async function loadSubject(
  db: Db,
  userId: number,
  connectionKey: string,
): Promise<{ username: string; subject: Subject | undefined }> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'state'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) throw new AppError('USER_NOT_FOUND', `No user has id ${userId}.`);
  const external = await db
    .selectFrom('external_user_ids')
    .select(['mode', 'principal'])
    .where('user_id', '=', userId)
    .where('connection_key', '=', connectionKey)
    .executeTakeFirst();
  const principal = principalOf(
    { id: user.id, username: user.username, state: user.state },
    external && { userId: user.id, mode: external.mode, principal: external.principal },
  );
  if (principal === undefined) return { username: user.username, subject: undefined };
  const { rows } = await sql<{
    groups: string[];
    attrs: [string, string][];
    purposes: string[];
    subs: string[];
  }>`
    SELECT
      coalesce((SELECT array_agg(g.name) FROM group_members m JOIN groups g ON g.id = m.group_id WHERE m.user_id = ${userId}), '{}') AS groups,
      coalesce((SELECT json_agg(json_build_array(attribute_key, attribute_value)) FROM user_attributes WHERE user_id = ${userId}), '[]') AS attrs,
      coalesce((SELECT array_agg(p.name) FROM user_purposes up JOIN purposes p ON p.id = up.purpose_id WHERE up.user_id = ${userId}), '{}') AS purposes,
      coalesce((SELECT array_agg(m.object_id::text) FROM data_source_members m
                 WHERE m.user_id = ${userId} AND m.role IN ('owner', 'subscriber')
                   AND (m.expires_at IS NULL OR m.expires_at > now())), '{}') AS subs`.execute(db);
  const r = rows[0]!;
  const attributes: Record<string, string[]> = {};
  for (const [k, v] of r.attrs) attributes[k] = [...(attributes[k] ?? []), v];
  return {
    username: user.username,
    subject: subject({
      principal,
      groups: r.groups,
      attributes,
      purposes: r.purposes,
      subscriptions: r.subs,
    }),
  };
}

const name = (p: { policyKey: string; name: string }): PolicyName => ({
  policyKey: p.policyKey,
  name: p.name,
});

/** Explains a plan for one subject (undefined: a person with no principal on the connection). */
export function explainPlan(
  plan: AccessPlan,
  s: Subject | undefined,
): Pick<PolicyInfo, 'subscribed' | 'masks' | 'rowFilters' | 'skipped'> {
  const id = plan.target.id;
  const holds = (c: Parameters<typeof conditionHolds>[0]) => (s ? conditionHolds(c, s, id) : false);
  const sub = plan.subscription;
  const subscribed = s === undefined ? false : sub === undefined ? true : holds(sub.condition);
  return {
    subscribed: {
      value: subscribed,
      reason:
        s === undefined
          ? 'The user has no principal on this connection (disabled, or mapped to none).'
          : sub === undefined
            ? 'No subscription policy applies: table access is what the platform grants.'
            : `${subscribed ? 'Meets' : 'Does not meet'} the subscription condition: ${describeCondition(sub.condition)}.`,
      policies: (sub?.policies ?? []).map((p) => ({ ...name(p.policy), role: p.role })),
    },
    masks: plan.masks.map((m) => {
      const applies = holds(m.appliesWhen);
      return {
        column: m.column,
        mask: maskView(applies || !m.otherwise ? m.mask : m.otherwise),
        applies: applies || m.otherwise !== undefined,
        reason: applies
          ? `Masked for ${describeCondition(m.appliesWhen)}${m.rowCondition ? ', on rows where its condition holds' : ''}.`
          : m.otherwise
            ? `Not ${describeCondition(m.appliesWhen)}: the otherwise mask applies.`
            : `Clear: the mask applies to ${describeCondition(m.appliesWhen)} only.`,
        ...(m.fallback ? { fallback: m.fallback } : {}),
        conditional: m.rowCondition !== undefined,
        winner: name(m.policy),
        losers: m.losers.map((l) => ({ policy: name(l.policy), reason: l.reason })),
      };
    }),
    rowFilters: plan.rowFilters.map((f) => ({
      description: f.description,
      applies: holds(f.appliesWhen),
      policy: name(f.policy),
    })),
    skipped: plan.skipped.map((k) => ({ policy: name(k.policy), reason: k.reason })),
  };
}

/** Explains what a user gets from a data source under the current policies, and why. */
export async function policyInfo(db: Db, dataSourceId: string, userId: number): Promise<PolicyInfo> {
  const row = await getDataSource(db, dataSourceId);
  const { plans } = await computePlans(db, { dataSourceIds: [row.id] });
  const plan = plans[0];
  if (!plan)
    throw new AppError('DATASOURCE_NOT_FOUND', `Data source ${row.id} is disabled or its table was dropped.`);
  const { username, subject: s } = await loadSubject(db, userId, row.connection_key);
  return {
    dataSource: { id: row.id, name: row.path.slice(1).join('.') },
    user: { id: userId, username, principal: s?.principal ?? null },
    ...explainPlan(plan, s),
  };
}
