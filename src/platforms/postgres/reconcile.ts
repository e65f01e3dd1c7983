import type { EnforcementChange } from '../platform.ts';
import { COMMENT_PREFIX, type DesiredState, type DesiredTable } from './compile.ts';
import {
  createMirrorSchema,
  createPolicy,
  createView,
  deleteRecord,
  deleteSalt,
  dropPolicy,
  dropView,
  grantSchemaUsage,
  revokeFromPublic,
  rowSecurity,
  type Statement,
  type TableName,
  upsertRecord,
  upsertSalt,
} from './ddl.ts';
import { mirrorSchemaName } from './names.ts';
import {
  type EnforcedRecord,
  mirrorSchemaComment,
  type ObservedState,
  type ObservedTable,
  type ObservedView,
} from './observe.ts';

/** The mirror schema an item needs, and what to run first when it is missing or closed to PUBLIC. */
export interface SchemaSetup {
  readonly name: string;
  readonly statements: readonly Statement[];
  readonly changes: readonly EnforcementChange[];
}

/** The planned work for one data source. */
export interface PlannedItem {
  readonly dataSourceId: string;
  readonly table: TableName;
  readonly status: 'apply' | 'remove' | 'failed';
  readonly changes: readonly EnforcementChange[];
  readonly statements: readonly Statement[];
  /** Set when the item's view needs its mirror schema set up first (once per run). */
  readonly schema?: SchemaSetup;
  /** Views the item drops (a mirror schema left empty is dropped after them). */
  readonly droppedViews: readonly TableName[];
  /** The table's owner, to tell the admin what to grant when Steward cannot alter it. */
  readonly owner?: { readonly name: string; readonly superuser: boolean };
  readonly error?: string;
}

/** What reconcile will do: one item per data source, and Steward's mirror schemas no view needs. */
export interface ReconcilePlan {
  readonly items: readonly PlannedItem[];
  readonly unusedSchemas: ReadonlyArray<{ readonly name: string; readonly objects: number }>;
}

const key = (schema: string, name: string) => JSON.stringify([schema, name]);
const human = (t: TableName) => `${t.schema}.${t.table}`;

/** Row level security as Steward found a table it has no record of. */
function initialBaseline(obs: ObservedTable): { rls: boolean; force: boolean } {
  // Steward's own policies are there without a record (the record was lost): its flags are Steward's
  // doing. Keep row level security only for the table's other policies, and never force it.
  if (obs.policies.length > 0) return { rls: obs.otherPolicies > 0, force: false };
  return { rls: obs.rowSecurity, force: obs.forceRowSecurity };
}

/** Parses the data source id out of a view comment `steward:<id>:<hash>`. */
function viewDataSource(view: ObservedView): string | undefined {
  const c = view.comment;
  if (!c?.startsWith(COMMENT_PREFIX)) return undefined;
  const end = c.lastIndexOf(':');
  return end > COMMENT_PREFIX.length ? c.slice(COMMENT_PREFIX.length, end) : undefined;
}

class Differ {
  readonly tables: ReadonlyMap<string, ObservedTable>;
  readonly views: ReadonlyMap<string, ObservedView>;
  readonly records: ReadonlyMap<string, EnforcedRecord>;
  readonly recordsByTable: ReadonlyMap<string, EnforcedRecord>;
  readonly desiredTables: ReadonlySet<string>;
  readonly desiredViews: ReadonlySet<string>;
  readonly mirrorComment: string;

  constructor(
    readonly desired: DesiredState,
    readonly observed: ObservedState,
  ) {
    this.tables = new Map(observed.tables.map((t) => [key(t.schema, t.table), t]));
    this.views = new Map(observed.views.map((v) => [key(v.schema, v.name), v]));
    this.records = new Map(observed.enforced.map((r) => [r.dataSourceId, r]));
    this.recordsByTable = new Map(observed.enforced.map((r) => [key(r.tableSchema, r.tableName), r]));
    this.desiredTables = new Set([
      ...desired.tables.map((t) => key(t.schema, t.table)),
      ...desired.failures.map((f) => key(f.schema, f.table)),
    ]);
    this.desiredViews = new Set(desired.tables.map((t) => key(t.view.schema, t.view.name)));
    this.mirrorComment = mirrorSchemaComment(desired.stewardSchema);
  }

  failed(dataSourceId: string, table: TableName, error: string, obs?: ObservedTable): PlannedItem {
    const owner = obs ? { name: obs.owner, superuser: obs.ownerIsSuperuser } : undefined;
    return {
      dataSourceId,
      table,
      status: 'failed',
      changes: [],
      statements: [],
      droppedViews: [],
      owner,
      error,
    };
  }

  schemaSetup(name: string): SchemaSetup | undefined {
    const schema = this.observed.schemas.find((s) => s.name === name);
    const object = `schema ${name}`;
    if (!schema) {
      return {
        name,
        statements: createMirrorSchema(name, this.desired.stewardSchema),
        changes: [{ object, action: 'create', reason: 'missing', drift: false }],
      };
    }
    if (!schema.publicUsage) {
      const reason = 'USAGE on the mirror schema was revoked from PUBLIC out of band';
      return {
        name,
        statements: [grantSchemaUsage(name)],
        changes: [{ object, action: 'grant', reason, drift: true }],
      };
    }
    return undefined;
  }

  apply(t: DesiredTable): PlannedItem {
    const table: TableName = { schema: t.schema, table: t.table };
    const obs = this.tables.get(key(t.schema, t.table));
    if (!obs) return this.failed(t.dataSourceId, table, `The table ${human(table)} does not exist.`);
    if (obs.kind !== 'r' && obs.kind !== 'p') {
      const error = `${human(table)} is not a table: row level security applies to tables only.`;
      return this.failed(t.dataSourceId, table, error, obs);
    }
    if (this.observed.schemas.some((s) => s.name === t.schema && s.comment === this.mirrorComment)) {
      const error = `${human(table)} is in one of Steward's mirror schemas, which hold its masking views only.`;
      return this.failed(t.dataSourceId, table, error, obs);
    }
    const mirror = this.observed.schemas.find((s) => s.name === t.view.schema);
    if (mirror && mirror.comment !== this.mirrorComment) {
      const error = `The schema ${t.view.schema} exists and is not Steward's: rename it, so Steward can keep the masking views of ${t.schema} there.`;
      return this.failed(t.dataSourceId, table, error, obs);
    }
    const byId = this.records.get(t.dataSourceId);
    const sameTable = (r: EnforcedRecord | undefined) =>
      r !== undefined && r.tableSchema === t.schema && r.tableName === t.table;
    // What Steward applied here before: under this data source, or under another one on this table.
    const applied = sameTable(byId) ? byId : this.recordsByTable.get(key(t.schema, t.table));
    const changes: EnforcementChange[] = [];
    const statements: Statement[] = [];
    const droppedViews: TableName[] = [];
    const change = (object: string, action: EnforcementChange['action'], reason: string, drift: boolean) =>
      changes.push({ object, action, reason, drift });

    if (byId && !sameTable(byId)) {
      // The data source now names another table: undo what Steward did on the old one.
      const moved = this.removal(
        byId.dataSourceId,
        { schema: byId.tableSchema, table: byId.tableName },
        byId,
        false,
      );
      changes.push(...moved.changes);
      statements.push(...moved.statements);
      droppedViews.push(...moved.droppedViews);
    }

    const salt = this.observed.salts.get(t.dataSourceId);
    if (salt !== t.salt) {
      const object = `hash salt of data source ${t.dataSourceId}`;
      change(
        object,
        salt === undefined ? 'create' : 'replace',
        salt === undefined ? 'missing' : 'changed',
        false,
      );
      statements.push(upsertSalt(this.desired.stewardSchema, t.dataSourceId, t.salt));
    }

    const rls = `row level security on ${human(table)}`;
    if (!obs.rowSecurity) {
      change(rls, 'alter', applied ? 'row level security was disabled out of band' : 'missing', !!applied);
      statements.push(rowSecurity(table, 'ENABLE'));
    }
    if (!obs.forceRowSecurity) {
      const reason = applied ? 'row level security was no longer forced (changed out of band)' : 'missing';
      change(rls, 'alter', reason, !!applied);
      statements.push(rowSecurity(table, 'FORCE'));
    }

    for (const p of t.policies) {
      const o = obs.policies.find((x) => x.name === p.name);
      const object = `policy ${p.name} on ${human(table)}`;
      const fingerprint = applied?.fingerprints[p.name];
      if (!o) {
        change(object, 'create', applied ? 'the policy was dropped out of band' : 'missing', !!applied);
      } else if (fingerprint !== undefined && o.fingerprint !== fingerprint) {
        change(object, 'replace', 'the policy was altered out of band', true);
        statements.push(dropPolicy(table, p.name));
      } else if (o.comment !== COMMENT_PREFIX + p.hash) {
        change(object, 'replace', 'changed', false);
        statements.push(dropPolicy(table, p.name));
      } else {
        continue;
      }
      statements.push(...createPolicy(table, p));
    }

    const view = this.views.get(key(t.view.schema, t.view.name));
    const viewObject = `view ${t.view.schema}.${t.view.name}`;
    const viewFingerprint = applied?.fingerprints['view'];
    let createViewNow = true;
    if (!view) {
      change(viewObject, 'create', applied ? 'the view was dropped out of band' : 'missing', !!applied);
    } else if (!applied && !view.comment?.startsWith(COMMENT_PREFIX)) {
      const error = `A view ${t.view.schema}.${t.view.name} exists that Steward did not create: drop or rename it.`;
      return this.failed(t.dataSourceId, table, error, obs);
    } else if (viewFingerprint !== undefined && view.fingerprint !== viewFingerprint) {
      change(viewObject, 'replace', 'the view was altered out of band', true);
    } else if (view.comment !== t.view.comment) {
      change(viewObject, 'replace', 'changed', false);
    } else {
      createViewNow = false;
    }
    if (createViewNow) {
      if (view) statements.push(dropView(t.view.schema, t.view.name));
      statements.push(...createView(t.view));
    }

    const baseline = applied
      ? { rls: applied.rlsBefore, force: applied.forceBefore, publicPrivileges: applied.publicPrivileges }
      : { ...initialBaseline(obs), publicPrivileges: obs.publicPrivileges };
    const extra = obs.publicPrivileges.filter((p) => !baseline.publicPrivileges.includes(p));
    if (applied && extra.length > 0) {
      const reason = `PUBLIC was granted ${extra.join(', ')} out of band`;
      change(`PUBLIC privileges on ${human(table)}`, 'revoke', reason, true);
      statements.push(revokeFromPublic(table, extra));
    }

    const recorded =
      byId !== undefined &&
      sameTable(byId) &&
      byId.viewSchema === t.view.schema &&
      byId.viewName === t.view.name;
    if (statements.length > 0 || !recorded) {
      statements.push(
        upsertRecord(this.desired.stewardSchema, {
          dataSourceId: t.dataSourceId,
          table,
          view: { schema: t.view.schema, table: t.view.name },
          rlsBefore: baseline.rls,
          forceBefore: baseline.force,
          publicPrivileges: baseline.publicPrivileges,
        }),
      );
    }
    const schema = this.schemaSetup(t.view.schema);
    return {
      dataSourceId: t.dataSourceId,
      table,
      status: 'apply',
      changes,
      statements,
      droppedViews,
      owner: { name: obs.owner, superuser: obs.ownerIsSuperuser },
      ...(schema ? { schema } : {}),
    };
  }

  /**
   * Undoes Steward's enforcement of a data source on `table`: drops its view and policies, restores
   * row level security as Steward found it, forgets its salt and record (`forget`). Objects another
   * desired data source now uses on the same table are left alone.
   */
  removal(
    dataSourceId: string,
    table: TableName,
    record: EnforcedRecord | undefined,
    forget = true,
  ): PlannedItem {
    const changes: EnforcementChange[] = [];
    const statements: Statement[] = [];
    const droppedViews: TableName[] = [];
    const reason = forget ? 'no longer governed' : `data source ${dataSourceId} now governs another table`;
    const viewName: TableName = record
      ? { schema: record.viewSchema, table: record.viewName }
      : { schema: mirrorSchemaName(this.desired.stewardSchema, table.schema), table: table.table };
    const view = this.views.get(key(viewName.schema, viewName.table));
    if (
      view?.comment?.startsWith(COMMENT_PREFIX) &&
      !this.desiredViews.has(key(viewName.schema, viewName.table))
    ) {
      changes.push({ object: `view ${human(viewName)}`, action: 'drop', reason, drift: false });
      statements.push(dropView(viewName.schema, viewName.table));
      droppedViews.push(viewName);
    }
    const obs = this.tables.get(key(table.schema, table.table));
    if (obs && !this.desiredTables.has(key(table.schema, table.table))) {
      for (const p of obs.policies) {
        changes.push({ object: `policy ${p.name} on ${human(table)}`, action: 'drop', reason, drift: false });
        statements.push(dropPolicy(table, p.name));
      }
      const before = record ? { rls: record.rlsBefore, force: record.forceBefore } : initialBaseline(obs);
      const rls = `row level security on ${human(table)}`;
      if (obs.rowSecurity !== before.rls) {
        changes.push({ object: rls, action: 'alter', reason, drift: false });
        statements.push(rowSecurity(table, before.rls ? 'ENABLE' : 'DISABLE'));
      }
      if (obs.forceRowSecurity !== before.force) {
        changes.push({ object: rls, action: 'alter', reason, drift: false });
        statements.push(rowSecurity(table, before.force ? 'FORCE' : 'NO FORCE'));
      }
    }
    if (forget && this.observed.salts.has(dataSourceId)) {
      changes.push({
        object: `hash salt of data source ${dataSourceId}`,
        action: 'drop',
        reason,
        drift: false,
      });
      statements.push(deleteSalt(this.desired.stewardSchema, dataSourceId));
    }
    if (forget && record) statements.push(deleteRecord(this.desired.stewardSchema, dataSourceId));
    const owner = obs ? { name: obs.owner, superuser: obs.ownerIsSuperuser } : undefined;
    return { dataSourceId, table, status: 'remove', changes, statements, droppedViews, owner };
  }

  removals(): PlannedItem[] {
    const wanted = new Set([
      ...this.desired.tables.map((t) => t.dataSourceId),
      ...this.desired.failures.map((f) => f.dataSourceId),
    ]);
    const items: PlannedItem[] = [];
    const coveredTables = new Set<string>();
    const coveredViews = new Set<string>();
    const coveredIds = new Set<string>();
    const add = (item: PlannedItem) => {
      coveredTables.add(key(item.table.schema, item.table.table));
      for (const v of item.droppedViews) coveredViews.add(key(v.schema, v.table));
      coveredIds.add(item.dataSourceId);
      if (item.statements.length > 0) items.push(item);
    };
    for (const r of this.observed.enforced) {
      if (wanted.has(r.dataSourceId)) continue;
      add(this.removal(r.dataSourceId, { schema: r.tableSchema, table: r.tableName }, r));
    }
    // Steward's objects without a record: policies on tables, views in mirror schemas, salts.
    const viewIds = new Map<string, string>();
    for (const v of this.observed.views) {
      const id = viewDataSource(v);
      if (id !== undefined) viewIds.set(key(v.schema, v.name), id);
    }
    for (const t of this.observed.tables) {
      const k = key(t.schema, t.table);
      if (t.policies.length === 0 || this.desiredTables.has(k) || coveredTables.has(k)) continue;
      const table = { schema: t.schema, table: t.table };
      const view = key(mirrorSchemaName(this.desired.stewardSchema, t.schema), t.table);
      add(this.removal(viewIds.get(view) ?? human(table), table, undefined));
    }
    for (const v of this.observed.views) {
      const k = key(v.schema, v.name);
      const id = viewIds.get(k);
      if (id === undefined || this.desiredViews.has(k) || coveredViews.has(k)) continue;
      const reason = 'no longer governed';
      items.push({
        dataSourceId: id,
        table: { schema: v.schema, table: v.name },
        status: 'remove',
        changes: [{ object: `view ${v.schema}.${v.name}`, action: 'drop', reason, drift: false }],
        statements: [dropView(v.schema, v.name)],
        droppedViews: [{ schema: v.schema, table: v.name }],
      });
      coveredIds.add(id);
    }
    for (const id of this.observed.salts.keys()) {
      if (wanted.has(id) || coveredIds.has(id)) continue;
      items.push({
        dataSourceId: id,
        table: { schema: '', table: '' },
        status: 'remove',
        changes: [
          {
            object: `hash salt of data source ${id}`,
            action: 'drop',
            reason: 'no longer governed',
            drift: false,
          },
        ],
        statements: [deleteSalt(this.desired.stewardSchema, id)],
        droppedViews: [],
      });
    }
    return items;
  }
}

/**
 * Compares what Steward wants with what the database holds, per data source: what to create,
 * replace or drop, in order, and which differences are drift (objects Steward had applied, changed
 * out of band). Failed compilations become failed items; data sources no longer governed are removed.
 * Pure: nothing is read or run.
 */
export function diff(desired: DesiredState, observed: ObservedState): ReconcilePlan {
  const d = new Differ(desired, observed);
  const items: PlannedItem[] = [
    ...desired.tables.map((t) => d.apply(t)),
    ...desired.failures.map((f) => d.failed(f.dataSourceId, { schema: f.schema, table: f.table }, f.error)),
    ...d.removals(),
  ];
  const needed = new Set(desired.mirrorSchemas);
  const unusedSchemas = observed.schemas
    .filter((s) => s.comment === d.mirrorComment && !needed.has(s.name))
    .map((s) => ({ name: s.name, objects: s.objects }));
  return { items, unusedSchemas };
}
