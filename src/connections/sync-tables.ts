import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { CatalogTable } from '../platforms/platform.ts';
import type { Db } from '../store/schema.ts';
import { applyNewTag } from '../tags/new-tag.ts';
import type { DataObjectRow } from './object-tree.ts';

/** Counts of what a table batch changed. */
export interface TableCounts {
  added: number;
  changed: number;
  unchanged: number;
  restored: number;
  columnChanges: number;
}

/** Returns the fingerprint of a table's shape: a re-sync skips tables whose fingerprint is unchanged. */
export function tableFingerprint(table: CatalogTable): string {
  const shape = [
    table.kind,
    table.comment,
    table.columns.map((c) => [c.name, c.remoteType, c.nullable, c.position, c.comment]),
  ];
  return createHash('sha1').update(JSON.stringify(shape)).digest('base64url');
}

/** A schema a batch of tables belongs to, with what new tables under it start as. */
export interface SchemaContext {
  readonly row: DataObjectRow;
  /** The override a new table gets (null: inherit). */
  readonly newTableOverride: boolean | null;
  /** True when the schema itself was found in this sync, so its tables are not reported as created. */
  readonly isNew: boolean;
}

interface ExistingTable {
  id: string;
  parent_id: string;
  name: string;
  fingerprint: string | null;
  remote_status: 'present' | 'dropped';
}

async function insertTables(
  db: Db,
  jobId: string,
  connectionKey: string,
  tables: ReadonlyArray<{ table: CatalogTable; schema: SchemaContext }>,
): Promise<Map<string, string>> {
  if (tables.length === 0) return new Map();
  const rows = await sql<{ id: string; parent_id: string; name: string }>`
    INSERT INTO data_objects (connection_key, path, kind, parent_id, ancestor_ids, name, table_kind, comment,
                              is_active_override, is_active, state, fingerprint, last_seen_job)
    SELECT ${connectionKey}, p.path || t.name, 'table', p.id, p.ancestor_ids || p.id, t.name, t.kind, t.comment,
           t.override, coalesce(t.override, p.is_active),
           CASE WHEN coalesce(t.override, p.is_active) THEN 'active' ELSE 'inactive' END,
           t.fingerprint, ${jobId}::uuid
      FROM unnest(${tables.map((t) => t.schema.row.id)}::bigint[], ${tables.map((t) => t.table.name)}::text[],
                  ${tables.map((t) => t.table.kind)}::text[], ${tables.map((t) => t.table.comment)}::text[],
                  ${tables.map((t) => t.schema.newTableOverride)}::boolean[], ${tables.map((t) => tableFingerprint(t.table))}::text[])
           AS t(parent_id, name, kind, comment, override, fingerprint)
      JOIN data_objects p ON p.id = t.parent_id
    RETURNING id, parent_id, name`.execute(db);
  return new Map(rows.rows.map((r) => [`${r.parent_id}/${r.name}`, r.id]));
}

async function insertColumns(
  db: Db,
  entries: ReadonlyArray<{ id: string; table: CatalogTable }>,
): Promise<void> {
  const cols = entries.flatMap((e) => e.table.columns.map((c) => ({ id: e.id, ...c })));
  if (cols.length === 0) return;
  await sql`
    INSERT INTO data_columns (object_id, name, position, remote_type, data_type, nullable, comment)
    SELECT * FROM unnest(${cols.map((c) => c.id)}::bigint[], ${cols.map((c) => c.name)}::text[],
                         ${cols.map((c) => c.position)}::int[], ${cols.map((c) => c.remoteType)}::text[],
                         ${cols.map((c) => c.dataType)}::text[], ${cols.map((c) => c.nullable)}::boolean[],
                         ${cols.map((c) => c.comment)}::text[])
    ON CONFLICT (object_id, name) DO UPDATE SET position = excluded.position, remote_type = excluded.remote_type,
      data_type = excluded.data_type, nullable = excluded.nullable, comment = excluded.comment`.execute(db);
}

async function recordChanges(
  db: Db,
  jobId: string,
  changes: ReadonlyArray<{
    objectId: string;
    column: string | null;
    change: string;
    before?: unknown;
    after?: unknown;
  }>,
): Promise<void> {
  if (changes.length === 0) return;
  await sql`
    INSERT INTO schema_changes (object_id, column_name, change, before, after, job_id)
    SELECT o, c, ch, b::jsonb, a::jsonb, ${jobId}::uuid
      FROM unnest(${changes.map((c) => c.objectId)}::bigint[], ${changes.map((c) => c.column)}::text[],
                  ${changes.map((c) => c.change)}::text[],
                  ${changes.map((c) => (c.before === undefined ? null : JSON.stringify(c.before)))}::text[],
                  ${changes.map((c) => (c.after === undefined ? null : JSON.stringify(c.after)))}::text[]) AS x(o, c, ch, b, a)`.execute(
    db,
  );
  await applyNewTag(db, changes);
}

async function updateChanged(
  db: Db,
  jobId: string,
  changed: ReadonlyArray<{ existing: ExistingTable; table: CatalogTable }>,
): Promise<number> {
  if (changed.length === 0) return 0;
  const ids = changed.map((c) => c.existing.id);
  await sql`
    UPDATE data_objects o SET table_kind = t.kind, comment = t.comment, fingerprint = t.fingerprint,
           remote_status = 'present', dropped_at = NULL, last_seen_job = ${jobId}::uuid, updated_at = now()
      FROM unnest(${ids}::bigint[], ${changed.map((c) => c.table.kind)}::text[], ${changed.map((c) => c.table.comment)}::text[],
                  ${changed.map((c) => tableFingerprint(c.table))}::text[]) AS t(id, kind, comment, fingerprint)
     WHERE o.id = t.id`.execute(db);
  const stored = await db
    .selectFrom('data_columns')
    .select(['object_id', 'name', 'remote_type', 'data_type'])
    .where('object_id', 'in', ids)
    .execute();
  const byTable = new Map<string, Map<string, { remote_type: string; data_type: string }>>();
  for (const c of stored) {
    const m = byTable.get(c.object_id) ?? new Map<string, { remote_type: string; data_type: string }>();
    byTable.set(c.object_id, m);
    m.set(c.name, c);
  }
  const changes: Array<{
    objectId: string;
    column: string | null;
    change: string;
    before?: unknown;
    after?: unknown;
  }> = [];
  const dropped: Array<{ id: string; name: string }> = [];
  for (const { existing, table } of changed) {
    const before = byTable.get(existing.id) ?? new Map();
    if (existing.remote_status === 'dropped')
      changes.push({ objectId: existing.id, column: null, change: 'tableRestored' });
    const now = new Set<string>();
    for (const c of table.columns) {
      now.add(c.name);
      const old = before.get(c.name);
      if (!old)
        changes.push({
          objectId: existing.id,
          column: c.name,
          change: 'columnAdded',
          after: { remoteType: c.remoteType },
        });
      else if (old.remote_type !== c.remoteType) {
        changes.push({
          objectId: existing.id,
          column: c.name,
          change: 'columnTypeChanged',
          before: { remoteType: old.remote_type },
          after: { remoteType: c.remoteType },
        });
      }
    }
    for (const [name, old] of before) {
      if (!now.has(name)) {
        changes.push({
          objectId: existing.id,
          column: name,
          change: 'columnDropped',
          before: { remoteType: old.remote_type },
        });
        dropped.push({ id: existing.id, name });
      }
    }
  }
  if (dropped.length > 0) {
    await sql`DELETE FROM data_columns d USING unnest(${dropped.map((d) => d.id)}::bigint[], ${dropped.map((d) => d.name)}::text[]) AS x(id, name)
               WHERE d.object_id = x.id AND d.name = x.name`.execute(db);
  }
  // A dropped or retyped column is new to discovery: its next run looks at it again.
  const rediscover = changes.filter((c) => c.change === 'columnDropped' || c.change === 'columnTypeChanged');
  if (rediscover.length > 0) {
    await sql`DELETE FROM column_discovery d
               USING unnest(${rediscover.map((c) => c.objectId)}::bigint[], ${rediscover.map((c) => c.column!)}::text[]) AS x(id, name)
               WHERE d.object_id = x.id AND d.column_name = x.name`.execute(db);
  }
  await insertColumns(
    db,
    changed.map((c) => ({ id: c.existing.id, table: c.table })),
  );
  await recordChanges(db, jobId, changes);
  return changes.filter((c) => c.column !== null).length;
}

/**
 * Reconciles one batch of tables read from the platform with the store: new tables and their columns
 * are inserted, tables whose fingerprint changed are updated with their column changes recorded, and
 * unchanged tables are left untouched, their ids appended to `seen`. A handful of set-based
 * statements per batch.
 */
export async function syncTableBatch(
  db: Db,
  jobId: string,
  connectionKey: string,
  batch: readonly CatalogTable[],
  schemaOf: (table: CatalogTable) => SchemaContext | undefined,
  seen: string[],
): Promise<TableCounts> {
  const counts: TableCounts = { added: 0, changed: 0, unchanged: 0, restored: 0, columnChanges: 0 };
  const scoped = batch.flatMap((table) => {
    const schema = schemaOf(table);
    return schema ? [{ table, schema }] : [];
  });
  if (scoped.length === 0) return counts;
  const existing = await db
    .selectFrom('data_objects')
    .select(['id', 'parent_id', 'name', 'fingerprint', 'remote_status'])
    .where('parent_id', 'in', [...new Set(scoped.map((s) => s.schema.row.id))])
    .where(
      'name',
      'in',
      scoped.map((s) => s.table.name),
    )
    .execute();
  const byKey = new Map(existing.map((e) => [`${e.parent_id}/${e.name}`, e as ExistingTable]));
  const fresh: Array<{ table: CatalogTable; schema: SchemaContext }> = [];
  const changed: Array<{ existing: ExistingTable; table: CatalogTable }> = [];
  const unchanged: string[] = [];
  for (const s of scoped) {
    const e = byKey.get(`${s.schema.row.id}/${s.table.name}`);
    if (!e) fresh.push(s);
    else if (e.remote_status === 'present' && e.fingerprint === tableFingerprint(s.table))
      unchanged.push(e.id);
    else changed.push({ existing: e, table: s.table });
  }
  // Unchanged tables are not written at all (no dead rows on every re-sync); the caller keeps their ids.
  for (const id of unchanged) seen.push(id);
  const ids = await insertTables(db, jobId, connectionKey, fresh);
  await insertColumns(
    db,
    fresh.map((f) => ({ id: ids.get(`${f.schema.row.id}/${f.table.name}`)!, table: f.table })),
  );
  await recordChanges(
    db,
    jobId,
    fresh
      .filter((f) => !f.schema.isNew)
      .map((f) => ({
        objectId: ids.get(`${f.schema.row.id}/${f.table.name}`)!,
        column: null,
        change: 'tableCreated',
      })),
  );
  counts.columnChanges = await updateChanged(db, jobId, changed);
  counts.added = fresh.length;
  counts.changed = changed.length;
  counts.restored = changed.filter((c) => c.existing.remote_status === 'dropped').length;
  counts.unchanged = unchanged.length;
  return counts;
}

/** Marks tables under the given schemas (or only the one given) that this sync did not see as dropped; returns how many. */
export async function markMissingTablesDropped(
  db: Db,
  jobId: string,
  schemaIds: readonly string[],
  unchanged: readonly string[],
  onlyId?: string,
): Promise<number> {
  if (schemaIds.length === 0) return 0;
  const dropped = await sql<{ id: string }>`
    UPDATE data_objects SET remote_status = 'dropped', dropped_at = now(), updated_at = now()
     WHERE parent_id = ANY(${[...schemaIds]}::bigint[]) AND kind = 'table' AND remote_status = 'present'
       AND last_seen_job IS DISTINCT FROM ${jobId}::uuid AND id <> ALL(${[...unchanged]}::bigint[])
       AND (${onlyId ?? null}::bigint IS NULL OR id = ${onlyId ?? null}::bigint)
    RETURNING id`.execute(db);
  await recordChanges(
    db,
    jobId,
    dropped.rows.map((r) => ({ objectId: r.id, column: null, change: 'tableDropped' })),
  );
  return dropped.rows.length;
}
