import type { EntitlementRows } from '../platforms/platform.ts';
import { rowKey } from './diff.ts';

/** A Steward user as entitlement sync sees them. */
export interface DirectoryUser {
  readonly id: number;
  readonly username: string;
  readonly state: 'active' | 'disabled';
}

/** A user's external id on the connection: an explicit principal, or `none` (no row means unset). */
export interface ExternalUserId {
  readonly userId: number;
  readonly mode: 'explicit' | 'none';
  readonly principal: string | null;
}

/** A user's membership of a group. */
export interface GroupMembership {
  readonly userId: number;
  readonly group: string;
}

/** One value of one attribute of a user. */
export interface AttributeValue {
  readonly userId: number;
  readonly key: string;
  readonly value: string;
}

/** A purpose a user acts under. */
export interface UserPurpose {
  readonly userId: number;
  readonly purpose: string;
}

/** A user's membership of a data source of the connection. */
export interface DataSourceMembership {
  readonly userId: number;
  readonly dataSourceId: string;
  readonly role: 'owner' | 'subscriber' | 'expert';
  readonly expiresAt: Date | null;
}

/** What Steward knows about people, as far as one connection is concerned. */
export interface Directory {
  readonly users: readonly DirectoryUser[];
  /** External ids on this connection only. */
  readonly externalIds: readonly ExternalUserId[];
  readonly groups: readonly GroupMembership[];
  readonly attributes: readonly AttributeValue[];
  /** Memberships of this connection's data sources only. */
  readonly members: readonly DataSourceMembership[];
  /** The purposes people act under (absent: none). */
  readonly purposes?: readonly UserPurpose[];
}

/**
 * Returns the platform principal of a user on a connection: the explicit principal, the Steward
 * username when the external id is unset, undefined when it is `none` or the user is disabled.
 */
export function principalOf(user: DirectoryUser, externalId: ExternalUserId | undefined): string | undefined {
  if (user.state !== 'active') return undefined;
  if (!externalId) return user.username;
  return externalId.mode === 'explicit' && externalId.principal !== null ? externalId.principal : undefined;
}

/** Whether a data source membership makes its user subscribed at `now`. */
export function subscribes(member: DataSourceMembership, now: Date): boolean {
  return (
    (member.role === 'subscriber' || member.role === 'owner') &&
    (member.expiresAt === null || member.expiresAt.getTime() > now.getTime())
  );
}

/** Returns the principal of every user who has one on the connection, by user id. */
export function principals(directory: Directory): Map<number, string> {
  const external = new Map(directory.externalIds.map((e) => [e.userId, e]));
  const out = new Map<number, string>();
  for (const user of directory.users) {
    const principal = principalOf(user, external.get(user.id));
    if (principal !== undefined) out.set(user.id, principal);
  }
  return out;
}

function collect<T, R extends readonly string[]>(
  items: readonly T[],
  toRow: (item: T) => R | undefined,
): R[] {
  const seen = new Set<string>();
  const rows: R[] = [];
  for (const item of items) {
    const row = toRow(item);
    if (row === undefined) continue;
    const key = rowKey(row);
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(row);
  }
  return rows;
}

/**
 * Returns the rows the entitlement tables of one connection should hold at `now`: for every active
 * user with a principal there, one principal row (even with no other fact: that row is what makes a
 * person without attributes governed, so attribute filters fail closed for them), and one row per
 * group, per attribute value, per purpose they act under, and per data source they subscribe to (as
 * subscriber or owner, not expired). Disabled users and users mapped to `none` get
 * no rows; two users mapped to one principal share its rows.
 * Rows come without duplicates, in no particular order.
 */
export function computeEntitlements(directory: Directory, now: Date): EntitlementRows {
  const of = principals(directory);
  return {
    user_principals: collect([...of.values()], (p) => [p] as const),
    user_groups: collect(directory.groups, (g) => {
      const p = of.get(g.userId);
      return p === undefined ? undefined : ([p, g.group] as const);
    }),
    user_attributes: collect(directory.attributes, (a) => {
      const p = of.get(a.userId);
      return p === undefined ? undefined : ([p, a.key, a.value] as const);
    }),
    user_subscriptions: collect(directory.members, (m) => {
      const p = of.get(m.userId);
      return p === undefined || !subscribes(m, now) ? undefined : ([p, m.dataSourceId] as const);
    }),
    user_purposes: collect(directory.purposes ?? [], (u) => {
      const p = of.get(u.userId);
      return p === undefined ? undefined : ([p, u.purpose] as const);
    }),
  };
}

/**
 * Returns when the rows next change by themselves: the earliest expiry after `now` of a subscription
 * that counts today, or undefined when none will expire.
 */
export function nextExpiry(directory: Directory, now: Date): Date | undefined {
  const of = principals(directory);
  let next: Date | undefined;
  for (const m of directory.members) {
    if (m.expiresAt === null || !of.has(m.userId) || !subscribes(m, now)) continue;
    if (next === undefined || m.expiresAt < next) next = m.expiresAt;
  }
  return next;
}

/** Counts the rows of every table. */
export function countRows(rows: EntitlementRows): number {
  return (
    rows.user_principals.length +
    rows.user_groups.length +
    rows.user_attributes.length +
    rows.user_subscriptions.length +
    rows.user_purposes.length
  );
}
