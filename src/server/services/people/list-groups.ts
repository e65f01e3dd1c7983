import { sql } from 'kysely';
import { containsPattern } from '../../../people/like-pattern.ts';
import type { Db } from '../../../store/schema.ts';
import { type GroupView, summarizeGroup } from './group-view.ts';

/** Filters of `GET /groups`; every given filter must match. */
export interface GroupSearch {
  /** A case-insensitive substring of the name or description. */
  readonly search?: string | undefined;
  /** The exact name, in any letter case. */
  readonly name?: string | undefined;
  /** Groups this user is a member of. */
  readonly memberId?: number | undefined;
  readonly offset: number;
  /** How many rows to return at most. */
  readonly limit: number;
}

/** Lists groups matching the filters, by name, with their member counts. */
export async function listGroups(db: Db, s: GroupSearch): Promise<GroupView[]> {
  let query = db
    .selectFrom('groups as g')
    .selectAll('g')
    .select((eb) =>
      eb
        .selectFrom('group_members as c')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('c.group_id', '=', 'g.id')
        .as('members'),
    );
  if (s.search) {
    const pattern = containsPattern(s.search);
    query = query.where((eb) =>
      eb.or([eb('g.name', 'ilike', pattern), eb('g.description', 'ilike', pattern)]),
    );
  }
  if (s.name !== undefined) query = query.where(sql`lower(g.name)`, '=', s.name.toLowerCase());
  if (s.memberId !== undefined) {
    const memberId = s.memberId;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('group_members as m')
          .select('m.user_id')
          .whereRef('m.group_id', '=', 'g.id')
          .where('m.user_id', '=', memberId),
      ),
    );
  }
  const rows = await query
    .orderBy(sql`lower(g.name)`)
    .orderBy('g.id')
    .offset(s.offset)
    .limit(s.limit)
    .execute();
  return rows.map(({ members, ...row }) => summarizeGroup(row, Number(members ?? 0)));
}
