import { type Kysely, sql } from 'kysely';
import type { Database, Db } from '../store/schema.ts';
import type { DataSourceMembership, Directory, DirectoryUser } from './compute.ts';

/** The directory as one connection sees it, read in one snapshot, with the store's clock at that moment. */
export interface DirectorySnapshot {
  readonly directory: Directory;
  /** `now()` of the snapshot: changes marked after it are not in the directory. */
  readonly at: Date;
}

/**
 * Runs a query whose rows are aggregated into one JSON array of arrays: one value to transfer and
 * parse instead of tens of thousands of rows (3-4x faster for 10,000 users on the embedded store).
 */
async function tuples<T extends unknown[]>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const { rows } = await sql<{
    j: T[];
  }>`SELECT coalesce(json_agg(q.t), '[]') AS j FROM (${query}) q(t)`.execute(db);
  return rows[0]!.j;
}

/**
 * Reads what entitlement sync needs for one connection in six set-based queries inside one
 * read-only repeatable-read transaction, so users, memberships and external ids agree with each other.
 */
export async function loadDirectory(db: Kysely<Database>, connectionKey: string): Promise<DirectorySnapshot> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const { rows } = await sql<{ at: Date }>`SELECT now() AS at`.execute(trx);
      const users = await tuples<[number, string, DirectoryUser['state']]>(
        trx,
        sql`SELECT json_build_array(id, username, state) FROM users`,
      );
      const externalIds = await trx
        .selectFrom('external_user_ids')
        .select(['user_id as userId', 'mode', 'principal'])
        .where('connection_key', '=', connectionKey)
        .execute();
      const groups = await tuples<[number, string]>(
        trx,
        sql`SELECT json_build_array(m.user_id, g.name) FROM group_members m JOIN groups g ON g.id = m.group_id`,
      );
      const attributes = await tuples<[number, string, string]>(
        trx,
        sql`SELECT json_build_array(user_id, attribute_key, attribute_value) FROM user_attributes`,
      );
      const purposes = await tuples<[number, string]>(
        trx,
        sql`SELECT json_build_array(up.user_id, p.name) FROM user_purposes up JOIN purposes p ON p.id = up.purpose_id`,
      );
      const members = await tuples<[number, string, DataSourceMembership['role'], number | null]>(
        trx,
        sql`SELECT json_build_array(m.user_id, m.object_id::text, m.role, extract(epoch FROM m.expires_at) * 1000)
              FROM data_source_members m JOIN data_objects o ON o.id = m.object_id
             WHERE o.connection_key = ${connectionKey} AND o.kind = 'table'`,
      );
      return {
        at: rows[0]!.at,
        directory: {
          users: users.map(([id, username, state]) => ({ id, username, state })),
          externalIds,
          groups: groups.map(([userId, group]) => ({ userId, group })),
          attributes: attributes.map(([userId, key, value]) => ({ userId, key, value })),
          purposes: purposes.map(([userId, purpose]) => ({ userId, purpose })),
          members: members.map(([userId, dataSourceId, role, expires]) => ({
            userId,
            dataSourceId,
            role,
            expiresAt: expires === null ? null : new Date(expires),
          })),
        },
      };
    });
}
