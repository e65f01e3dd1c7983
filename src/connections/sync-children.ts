import { sql } from 'kysely';
import type { Db } from '../store/schema.ts';
import { type DataObjectRow, initialOverride, KIND_AT_DEPTH } from './object-tree.ts';

/** What reconciling the children of one object found. */
export interface ChildrenResult {
  /** Every child now present, by name. */
  readonly present: Map<string, DataObjectRow>;
  /** Ids of children created by this sync. */
  readonly created: Set<string>;
  readonly dropped: number;
}

/**
 * Reconciles the databases of a connection or the schemas of a database with the names the platform
 * listed: new ones start as the parent's `activateNewChildren` says, returning ones are restored, and
 * missing ones are marked dropped together with everything below them.
 */
export async function syncChildren(
  db: Db,
  jobId: string,
  parent: DataObjectRow,
  activateNewChildren: boolean,
  listed: ReadonlyArray<{ name: string; comment: string | null }>,
): Promise<ChildrenResult> {
  const kind = KIND_AT_DEPTH[parent.ancestor_ids.length + 1];
  if (!kind || kind === 'table') throw new Error(`syncChildren cannot create children of a ${parent.kind}`);
  const existing = await db
    .selectFrom('data_objects')
    .selectAll()
    .where('parent_id', '=', parent.id)
    .execute();
  const byName = new Map(existing.map((e) => [e.name, e]));
  const listedNames = new Set(listed.map((l) => l.name));
  const override = initialOverride(parent, activateNewChildren);
  const isActive = override ?? parent.is_active;
  const created = new Set<string>();
  const present = new Map<string, DataObjectRow>();
  for (const item of listed) {
    const old = byName.get(item.name);
    if (old) {
      const row = await db
        .updateTable('data_objects')
        .set({
          comment: item.comment,
          remote_status: 'present',
          dropped_at: null,
          last_seen_job: jobId,
          updated_at: new Date(),
        })
        .where('id', '=', old.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      present.set(item.name, row);
      continue;
    }
    const row = await db
      .insertInto('data_objects')
      .values({
        connection_key: parent.connection_key,
        path: [...parent.path, item.name],
        kind,
        parent_id: parent.id,
        ancestor_ids: [...parent.ancestor_ids, parent.id],
        name: item.name,
        table_kind: null,
        comment: item.comment,
        is_active_override: override,
        activate_new_children_override: null,
        data_owners_override: null,
        is_active: isActive,
        state: isActive ? 'active' : 'inactive',
        fingerprint: null,
        last_seen_job: jobId,
        dropped_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    created.add(row.id);
    present.set(item.name, row);
  }
  const gone = existing
    .filter((e) => !listedNames.has(e.name) && e.remote_status === 'present')
    .map((e) => e.id);
  if (gone.length > 0) {
    await sql`
      UPDATE data_objects SET remote_status = 'dropped', dropped_at = now(), updated_at = now()
       WHERE remote_status = 'present' AND (id = ANY(${gone}::bigint[]) OR ancestor_ids && ${gone}::bigint[])`.execute(
      db,
    );
  }
  return { present, created, dropped: gone.length };
}
