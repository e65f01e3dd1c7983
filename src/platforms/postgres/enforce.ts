import { AppError, safeErrorMessage } from '../../errors/index.ts';
import type {
  EnforcementItem,
  EnforcementOptions,
  EnforcementReport,
  EnforcementTarget,
} from '../platform.ts';
import { compilePostgres, type DesiredState } from './compile.ts';
import { dropMirrorSchema, type Statement } from './ddl.ts';
import { viewsRoleName } from './names.ts';
import { observePostgres } from './observe.ts';
import { quoteIdent } from './quote.ts';
import { diff, type PlannedItem, type ReconcilePlan } from './reconcile.ts';
import { type PostgresSession, postgresError } from './session.ts';

const SAVEPOINT = 'steward_item';

/** The safe message of a data source that failed, telling the admin what to grant when it is that. */
function itemError(error: unknown, item: PlannedItem, role: string): string {
  const { code, message } = error as { code?: string; message?: string };
  const table = `${item.table.schema}.${item.table.table}`;
  if (code === '42501' && /must be owner/i.test(message ?? '')) {
    if (item.owner?.superuser) {
      return `${table} is owned by the superuser ${item.owner.name}, and Steward cannot alter tables a superuser owns: give it a non-superuser owner and grant that role to ${role} (GRANT <owner> TO ${quoteIdent(role)};).`;
    }
    const owner = item.owner ? quoteIdent(item.owner.name) : '<owner>';
    return `Steward's service role ${role} cannot alter ${table}: it must be a member of the table's owner role. As a superuser, run GRANT ${owner} TO ${quoteIdent(role)}; (or run the setup script again).`;
  }
  if (code === '42501') {
    return `Steward's service role ${role} lacks a privilege to enforce ${table}: ${safeErrorMessage(error, 200)}. Run the setup script again as a superuser.`;
  }
  return `PostgreSQL refused the changes to ${table}: ${safeErrorMessage(error, 300)}${code ? ` (SQLSTATE ${code})` : ''}.`;
}

/** The statements of an item, with its mirror schema set up first when this run has not done it yet. */
function statementsOf(item: PlannedItem, ready: ReadonlySet<string>): Statement[] {
  const setup = item.schema && !ready.has(item.schema.name) ? item.schema : undefined;
  return [...(setup?.statements ?? []), ...item.statements];
}

function changesOf(item: PlannedItem, ready: ReadonlySet<string>) {
  const setup = item.schema && !ready.has(item.schema.name) ? item.schema : undefined;
  return [...(setup?.changes ?? []), ...item.changes];
}

function reported(
  item: PlannedItem,
  ready: ReadonlySet<string>,
  status: EnforcementItem['status'],
  error?: string,
): EnforcementItem {
  const texts = item.status === 'failed' ? [] : statementsOf(item, ready).map((s) => s.text);
  return {
    dataSourceId: item.dataSourceId,
    status,
    changes: item.status === 'failed' ? [] : changesOf(item, ready),
    statements: texts,
    ...(error === undefined ? {} : { error }),
  };
}

/** Schema drops for the mirror schemas that the removed views leave empty, by the item after which they run. */
function schemaDrops(plan: ReconcilePlan, done: ReadonlySet<PlannedItem>): Map<PlannedItem, string[]> {
  const drops = new Map<PlannedItem, string[]>();
  for (const schema of plan.unusedSchemas) {
    const removers = [...done].filter((i) => i.droppedViews.some((v) => v.schema === schema.name));
    const removed = removers.reduce(
      (n, i) => n + i.droppedViews.filter((v) => v.schema === schema.name).length,
      0,
    );
    const last = removers.at(-1);
    if (last && removed >= schema.objects) drops.set(last, [...(drops.get(last) ?? []), schema.name]);
  }
  return drops;
}

function refuseEmpty(
  desired: DesiredState,
  plan: ReconcilePlan,
  options: EnforcementOptions,
  db: string,
): void {
  if (options.allowEmpty || desired.tables.length > 0 || desired.failures.length > 0) return;
  const removals = plan.items.filter((i) => i.status === 'remove').length;
  if (removals === 0) return;
  throw new AppError(
    'PLATFORM_ERROR',
    `Refused to enforce an empty desired set on database ${db}: it would remove Steward's enforcement from ${removals} data source(s). Enforce with allowEmpty to remove it on purpose.`,
  );
}

/** Runs statements in a savepoint of their own: all of them, or none (the error is returned). */
type Runner = (statements: readonly Statement[]) => Promise<unknown>;

function savepointRunner(client: PostgresSession['client']): Runner {
  return async (statements) => {
    await client.query(`SAVEPOINT ${SAVEPOINT}`);
    try {
      for (const s of statements) await client.query(s.text, s.values ? [...s.values] : undefined);
      await client.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      return undefined;
    } catch (error) {
      await client.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      await client.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      return error;
    }
  };
}

/** A dry run's runner: every statement "succeeds" without being sent. */
const dryRunner: Runner = async () => undefined;

/**
 * Applies a plan item by item through `run`, then drops the mirror schemas that removed views left
 * empty (a schema someone put other objects in stays). Returns the report; `executed` counts the
 * statements of items that committed (none on a dry run).
 */
async function applyPlan(
  plan: ReconcilePlan,
  existingSchemas: readonly string[],
  run: Runner,
  dryRun: boolean,
  role: string,
  signal: AbortSignal | undefined,
): Promise<EnforcementReport> {
  const ready = new Set(existingSchemas);
  const items: EnforcementItem[] = [];
  const positions = new Map<PlannedItem, number>();
  const removed = new Set<PlannedItem>();
  let executed = 0;
  for (const item of plan.items) {
    signal?.throwIfAborted();
    if (item.status === 'failed') {
      items.push(reported(item, ready, 'failed', item.error));
      continue;
    }
    const statements = statementsOf(item, ready);
    if (statements.length === 0) {
      items.push(reported(item, ready, 'unchanged'));
      continue;
    }
    const report = reported(item, ready, item.status === 'remove' ? 'removed' : 'applied');
    const error = await run(statements);
    if (error !== undefined) {
      items.push({ ...report, status: 'failed', error: itemError(error, item, role) });
      continue;
    }
    if (!dryRun) executed += statements.length;
    if (item.schema) ready.add(item.schema.name);
    if (item.status === 'remove') removed.add(item);
    positions.set(item, items.length);
    items.push(report);
  }
  for (const [item, schemas] of schemaDrops(plan, removed)) {
    for (const schema of schemas) {
      const drop = dropMirrorSchema(schema);
      if ((await run([drop])) !== undefined) continue;
      if (!dryRun) executed += 1;
      const i = positions.get(item)!;
      const current = items[i]!;
      const change = {
        object: `schema ${schema}`,
        action: 'drop',
        reason: 'no longer needed',
        drift: false,
      } as const;
      items[i] = {
        ...current,
        changes: [...current.changes, change],
        statements: [...current.statements, drop.text],
      };
    }
  }
  return { dryRun, executed, items };
}

/**
 * Makes a PostgreSQL database enforce exactly `targets` (see `Platform.enforce`). In one transaction,
 * as the service role with a pinned search_path and an advisory lock (so two reconciles of a database
 * run one after the other): reads the catalog, diffs, and applies each data source in a savepoint, so
 * one that fails is rolled back alone and reported while the others commit. Mirror schemas are
 * created with the first view that needs them and dropped once their last view goes. `executed`
 * counts the statements of data sources that committed. A dry run reads and diffs, runs nothing.
 */
export async function enforcePostgres(
  session: PostgresSession,
  targets: readonly EnforcementTarget[],
  options: EnforcementOptions = {},
  signal?: AbortSignal,
): Promise<EnforcementReport> {
  const desired = compilePostgres(targets, session.stewardSchema, viewsRoleName(session.settings.username));
  const { client, settings } = session;
  let open = false;
  try {
    await client.query('BEGIN');
    open = true;
    // Objects are created as (and owned by) the service role even when the session is another role
    // (the embedded warehouse connects as its superuser); names are resolved only as written.
    await client.query(`SET LOCAL ROLE ${quoteIdent(settings.username)}`);
    await client.query('SET LOCAL search_path = pg_catalog, pg_temp');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `steward.enforce:${session.stewardSchema}`,
    ]);
    const observed = await observePostgres(session, {
      stewardSchema: session.stewardSchema,
      tables: [...desired.tables, ...desired.failures],
      mirrorSchemas: desired.mirrorSchemas,
    });
    const plan = diff(desired, observed);
    refuseEmpty(desired, plan, options, settings.database);
    const dryRun = options.dryRun === true;
    const report = await applyPlan(
      plan,
      observed.schemas.filter((s) => s.publicUsage).map((s) => s.name),
      dryRun ? dryRunner : savepointRunner(client),
      dryRun,
      settings.username,
      signal,
    );
    signal?.throwIfAborted();
    await client.query(dryRun ? 'ROLLBACK' : 'COMMIT');
    open = false;
    return report;
  } catch (error) {
    if (open) await client.query('ROLLBACK').catch(() => {});
    if (signal?.aborted) throw signal.reason;
    throw postgresError(error, settings);
  }
}
