import type { z } from 'zod';
import type {
  groupMemberSchema,
  groupSchema,
  userDetailSchema,
  userSchema,
} from '../../server/schemas/users.ts';
import { CliError } from '../cli-error.ts';
import type { ApiClient } from '../client.ts';

/** A user as `GET /users` lists it. */
export type UserView = z.infer<typeof userSchema>;

/** A user with groups and attributes, as `GET /users/{id}` returns it. */
export type UserDetailView = z.infer<typeof userDetailSchema>;

/** A group as the API returns it. */
export type GroupView = z.infer<typeof groupSchema>;

/** A member of a group as `GET /groups/{id}/members` lists it. */
export type GroupMemberView = z.infer<typeof groupMemberSchema>;

/**
 * Finds a user named on the command line: by username (any letter case) first, then, for a number,
 * by id; a name that matches nothing is a CliError.
 */
export async function resolveUser(client: ApiClient, name: string): Promise<UserView> {
  const page = await client.get<{ users: UserView[] }>('/users', { username: name, size: 1 });
  const found = page.users[0];
  if (found) return found;
  if (/^\d{1,15}$/.test(name)) return client.get<UserView>(`/users/${name}`);
  throw new CliError(`there is no user ${JSON.stringify(name)}`);
}

/** Finds a group by name (any letter case) first, then, for a number, by id. */
export async function resolveGroup(client: ApiClient, name: string): Promise<GroupView> {
  const page = await client.get<{ groups: GroupView[] }>('/groups', { name, size: 1 });
  const found = page.groups[0];
  if (found) return found;
  if (/^\d{1,15}$/.test(name)) return client.get<GroupView>(`/groups/${name}`);
  throw new CliError(`there is no group ${JSON.stringify(name)}`);
}

/** Fetches every page of a paged listing (`next` offsets), up to `limit` items. */
export async function allPages<T>(
  fetch: (offset: number, size: number) => Promise<{ items: T[]; next: number | null }>,
  limit = Number.POSITIVE_INFINITY,
): Promise<{ items: T[]; more: boolean }> {
  const items: T[] = [];
  let offset: number | null = 0;
  while (offset !== null && items.length < limit) {
    const page: { items: T[]; next: number | null } = await fetch(
      offset,
      Math.min(1000, limit - items.length),
    );
    items.push(...page.items);
    offset = page.next;
  }
  return { items, more: offset !== null };
}
