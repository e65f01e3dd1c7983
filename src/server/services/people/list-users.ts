import { sql } from 'kysely';
import { containsPattern } from '../../../people/like-pattern.ts';
import type { Db } from '../../../store/schema.ts';
import { summarizeUser, type UserSummary } from './user-view.ts';

/** Filters of `GET /users`; every given filter must match. */
export interface UserSearch {
  /** A case-insensitive substring of the username, name or email. */
  readonly search?: string | undefined;
  /** The exact username, in any letter case. */
  readonly username?: string | undefined;
  /** The exact email address, in any letter case. */
  readonly email?: string | undefined;
  /** Members of the group of this name (any letter case). */
  readonly group?: string | undefined;
  /** Members of the group with this id. */
  readonly groupId?: number | undefined;
  readonly state?: 'active' | 'disabled' | undefined;
  readonly source?: 'bim' | 'scim' | undefined;
  /** Users with this attribute key, and value when given. */
  readonly attribute?: { readonly key: string; readonly value?: string | undefined } | undefined;
  readonly offset: number;
  /** How many rows to return at most. */
  readonly limit: number;
}

/** Lists users matching the filters, by username. */
export async function listUsers(db: Db, s: UserSearch): Promise<UserSummary[]> {
  let query = db.selectFrom('users as u').selectAll('u');
  if (s.search) {
    const pattern = containsPattern(s.search);
    query = query.where((eb) =>
      eb.or([
        eb('u.username', 'ilike', pattern),
        eb('u.name', 'ilike', pattern),
        eb('u.email', 'ilike', pattern),
      ]),
    );
  }
  if (s.username !== undefined) query = query.where(sql`lower(u.username)`, '=', s.username.toLowerCase());
  if (s.email !== undefined) query = query.where(sql`lower(u.email)`, '=', s.email.toLowerCase());
  if (s.state) query = query.where('u.state', '=', s.state);
  if (s.source) query = query.where('u.source', '=', s.source);
  if (s.group !== undefined || s.groupId !== undefined) {
    const { group, groupId } = s;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('group_members as m')
          .innerJoin('groups as g', 'g.id', 'm.group_id')
          .select('m.user_id')
          .whereRef('m.user_id', '=', 'u.id')
          .$if(group !== undefined, (q) => q.where(sql`lower(g.name)`, '=', group!.toLowerCase()))
          .$if(groupId !== undefined, (q) => q.where('g.id', '=', groupId!)),
      ),
    );
  }
  if (s.attribute) {
    const { key, value } = s.attribute;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('user_attributes as a')
          .select('a.user_id')
          .whereRef('a.user_id', '=', 'u.id')
          .where('a.attribute_key', '=', key)
          .$if(value !== undefined, (q) => q.where('a.attribute_value', '=', value!)),
      ),
    );
  }
  const rows = await query
    .orderBy(sql`lower(u.username)`)
    .orderBy('u.id')
    .offset(s.offset)
    .limit(s.limit)
    .execute();
  return rows.map(summarizeUser);
}
