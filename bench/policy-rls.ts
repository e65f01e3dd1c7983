import { quoteLiteral } from '../src/platforms/postgres/quote.ts';
import { isInterrupted } from './cleanup.ts';
import { quantile } from './latency.ts';
import {
  type EngineKind,
  type QueryRow,
  type RlsEngine,
  withPgliteEngine,
  withServerEngine,
} from './policy-engines.ts';
import {
  BASE_TABLE,
  generateSales,
  govern,
  MASKED_VIEW,
  type RlsRoles,
  ROWS,
  rlsRoles,
} from './policy-rls-setup.ts';
import { waitForQuiet } from './quiet.ts';
import { figure, note } from './report.ts';

/** Interleaved rounds per engine: 7 on the server, 5 on PGlite (each round scans 5M rows a dozen times). */
const ROUNDS: Record<EngineKind, number> = { server: 7, pglite: 5 };
/**
 * An indexed query takes well under a millisecond, where one timing is mostly noise on a shared
 * machine: its sample in a round is the median of this many back-to-back runs.
 */
const IDX_REPEATS = 9;

type Query = 'agg' | 'agg_count' | 'idx' | 'max_email' | 'hash_expression';
type Reader =
  | 'superuser_table'
  | 'owner_table'
  | 'owner_table_serial'
  | 'gov_all_view'
  | 'gov_exempt_view'
  | 'gov_all_table'
  | 'gov_exempt_table';

/** One measured configuration: who reads what, with which query. */
interface Item {
  readonly key: `${Reader}.${Query}`;
  readonly reader: Reader;
  readonly query: Query;
  readonly role: string | undefined;
  readonly sql: string;
  /** Without parallel workers (server only), as the masking view's plans run. */
  readonly serial: boolean;
}

function sqlOf(query: Query, relation: string, salt: string): string {
  switch (query) {
    case 'agg':
      return `SELECT region, count(*) AS n, sum(amount) AS total FROM ${relation} GROUP BY region`;
    case 'agg_count':
      return `SELECT region, count(*) AS n FROM ${relation} GROUP BY region`;
    case 'idx':
      return `SELECT * FROM ${relation} WHERE customer_id = 4200`;
    case 'max_email':
      return `SELECT max(email) AS m FROM ${relation}`;
    case 'hash_expression':
      // The view's hash mask, written out on the base table: what masking cannot get below.
      return `SELECT max(encode(sha256(convert_to(${quoteLiteral(salt)} || email::text, 'UTF8')), 'hex')) AS m FROM ${relation}`;
  }
}

function items(kind: EngineKind, roles: RlsRoles, salt: string): Item[] {
  const plan: ReadonlyArray<readonly [Reader, string | undefined, string, readonly Query[]]> = [
    ['superuser_table', undefined, BASE_TABLE, ['agg_count', 'idx']],
    ['owner_table', roles.owner, BASE_TABLE, ['agg', 'agg_count', 'idx', 'max_email', 'hash_expression']],
    // PGlite never runs parallel workers: its owner baseline is serial already.
    ...(kind === 'server' ? [['owner_table_serial', roles.owner, BASE_TABLE, ['agg_count']] as const] : []),
    ['gov_all_view', roles.govAll, MASKED_VIEW, ['agg', 'agg_count', 'idx', 'max_email']],
    ['gov_exempt_view', roles.govExempt, MASKED_VIEW, ['agg', 'idx']],
    ['gov_all_table', roles.govAll, BASE_TABLE, ['agg_count', 'idx']],
    ['gov_exempt_table', roles.govExempt, BASE_TABLE, ['agg_count', 'idx']],
  ];
  return plan.flatMap(([reader, role, relation, queries]) =>
    queries.map((query) => ({
      key: `${reader}.${query}` as const,
      reader,
      query,
      role,
      sql: sqlOf(query, relation, salt),
      serial: reader === 'owner_table_serial',
    })),
  );
}

const total = (rows: readonly QueryRow[]) => rows.reduce((n, r) => n + Number(r['n']), 0);

/** What each configuration must return: everything for all but the masked role on the base table. */
function check(
  item: Item,
  rows: readonly QueryRow[],
  results: ReadonlyMap<string, readonly QueryRow[]>,
): void {
  const fail = (what: string) => {
    throw new Error(`${item.key} returned ${what}.`);
  };
  // A masked cell hides its row from the base table: the masked role sees none there.
  const hidden = item.reader === 'gov_all_table';
  if (item.query === 'agg' || item.query === 'agg_count') {
    const expected = hidden ? 0 : ROWS;
    if (total(rows) !== expected) fail(`${total(rows)} rows in ${rows.length} groups, not ${expected}`);
  } else if (item.query === 'idx') {
    if (rows.length !== (hidden ? 0 : ROWS / 100_000)) fail(`${rows.length} rows`);
    const email = String(rows[0]?.['email'] ?? '');
    if (item.reader === 'gov_all_view' && !/^[0-9a-f]{64}$/.test(email)) fail('an e-mail in the clear');
    if (item.reader === 'gov_all_view' && rows.some((r) => Number(r['amount']) % 100 !== 0))
      fail('an amount not rounded to 100');
    if (item.reader === 'gov_exempt_view' && !email.startsWith('user4200@')) fail('a masked e-mail');
  } else {
    const same = (a: string, b: string) => {
      const x = results.get(a)?.[0]?.['m'];
      const y = results.get(b)?.[0]?.['m'];
      if (x !== undefined && y !== undefined && x !== y) throw new Error(`${a} differs from ${b}.`);
    };
    same('gov_all_view.max_email', 'owner_table.hash_expression');
  }
}

/** Notes the plan of a query as a role; warns when it lacks `expect` (an index name, a node type). */
async function explain(
  engine: RlsEngine,
  role: string,
  sql: string,
  label: string,
  expect: string,
): Promise<void> {
  const { rows } = await engine.run(role, `EXPLAIN (COSTS OFF) ${sql}`);
  const plan = rows.map((r) => String(r['QUERY PLAN'])).join('\n  ');
  note(`policy_rls_${engine.kind}: plan of ${label}:\n  ${plan}`);
  if (!plan.includes(expect)) note(`policy_rls_${engine.kind}: NOTE: the plan of ${label} has no ${expect}`);
}

/**
 * Runs `rounds` interleaved rounds (as performance.md's `rerun_interleaved.py`): every round runs each
 * configuration once, in an order rotated by a different offset each round so drift spreads evenly.
 * Indexed queries run once untimed right before their timed runs; full scans do not (the table stays
 * cached between them), after a warm-up of one full scan and every indexed configuration.
 */
async function interleaved(
  engine: RlsEngine,
  list: readonly Item[],
  rounds: number,
): Promise<Map<string, number[]>> {
  // Warm-up: one full scan brings the table into the cache; every session runs its indexed query.
  for (const item of list)
    if (item.key === 'owner_table.agg_count' || item.query === 'idx')
      await engine.run(item.role, item.sql, item.serial);
  await waitForQuiet(`policy_rls_${engine.kind}`);
  const samples = new Map<string, number[]>(list.map((i) => [i.key, []]));
  const firstRows = new Map<string, readonly QueryRow[]>();
  for (let r = 0; r < rounds; r++) {
    const offset = Math.floor((r * list.length) / rounds);
    for (const item of [...list.slice(offset), ...list.slice(0, offset)]) {
      if (isInterrupted()) throw new Error('Interrupted.');
      if (item.query === 'idx') await engine.run(item.role, item.sql, item.serial);
      const repeats = item.query === 'idx' ? IDX_REPEATS : 1;
      const times = new Float64Array(repeats);
      let rows: QueryRow[] = [];
      for (let i = 0; i < repeats; i++)
        ({ rows, ms: times[i] } = await engine.run(item.role, item.sql, item.serial));
      samples.get(item.key)!.push(quantile(times.sort(), 0.5));
      if (r === 0) {
        firstRows.set(item.key, rows);
        check(item, rows, firstRows);
      }
    }
    note(`policy_rls_${engine.kind}: round ${r + 1} of ${rounds} done`);
  }
  return samples;
}

function report(kind: EngineKind, samples: ReadonlyMap<string, number[]>): void {
  const median = (key: `${Reader}.${Query}`) => quantile(Float64Array.from(samples.get(key)!).sort(), 0.5);
  const ratio = (name: string, a: `${Reader}.${Query}`, b: `${Reader}.${Query}`) =>
    figure(`${name}_${kind}`, median(a) / median(b), 'x');
  ratio('policy_rls_fullscan_ratio', 'gov_all_view.agg_count', 'owner_table.agg_count');
  ratio('policy_rls_indexed_ratio', 'gov_all_view.idx', 'owner_table.idx');
  figure(`policy_rls_indexed_delta_${kind}`, median('gov_all_view.idx') - median('owner_table.idx'), 'ms');
  ratio('policy_mask_exempt_ratio_agg', 'gov_exempt_view.agg', 'owner_table.agg');
  ratio('policy_mask_exempt_ratio_idx', 'gov_exempt_view.idx', 'owner_table.idx');
  figure(
    `policy_mask_exempt_delta_idx_${kind}`,
    median('gov_exempt_view.idx') - median('owner_table.idx'),
    'ms',
  );
  ratio('policy_mask_masked_vs_expression', 'gov_all_view.max_email', 'owner_table.hash_expression');
  ratio('policy_mask_masked_agg_ratio', 'gov_all_view.agg', 'owner_table.agg');
  ratio('policy_rls_table_fullscan_ratio_exempt', 'gov_exempt_table.agg_count', 'owner_table.agg_count');
  ratio('policy_rls_table_indexed_ratio_exempt', 'gov_exempt_table.idx', 'owner_table.idx');
  ratio('policy_rls_unmanaged_fullscan_ratio', 'owner_table.agg_count', 'superuser_table.agg_count');
  ratio('policy_rls_unmanaged_indexed_ratio', 'owner_table.idx', 'superuser_table.idx');
  if (samples.has('owner_table_serial.agg_count')) {
    // The masking view's plans run without parallel workers: the same comparison against a serial owner.
    ratio('policy_rls_fullscan_ratio_vs_serial', 'gov_all_view.agg_count', 'owner_table_serial.agg_count');
  }
  for (const [key, values] of samples) {
    const sorted = Float64Array.from(values).sort();
    figure(`policy_rls_${kind}.${key}`, quantile(sorted, 0.5), 'ms');
    note(
      `policy_rls_${kind}.${key}: median ${quantile(sorted, 0.5).toFixed(2)} ms (min ${sorted[0]!.toFixed(2)}, max ${sorted.at(-1)!.toFixed(2)}, n=${sorted.length})`,
    );
  }
}

/**
 * Row level security and masking overhead on 5,000,000 rows (performance.md §2.2): generates the
 * table, governs it through Steward's planner, entitlement sync and enforcement, then times the
 * owner on the base table against governed roles through the masking view and on the base table.
 */
export async function measureRls(kind: EngineKind): Promise<void> {
  const roles = rlsRoles();
  const withEngine = kind === 'server' ? withServerEngine : withPgliteEngine;
  await withEngine([roles.owner, roles.govAll, roles.govExempt], async (engine) => {
    await generateSales(engine, roles);
    const salt = await govern(engine, roles);
    await explain(
      engine,
      roles.govAll,
      sqlOf('idx', MASKED_VIEW, salt),
      'the governed idx query (gov_all through the view)',
      'sales_customer_idx',
    );
    if (kind === 'server') {
      // Parallel workers or not: the owner's full scan on the table against the governed one through the view.
      await explain(
        engine,
        roles.owner,
        sqlOf('agg_count', BASE_TABLE, salt),
        'the owner full scan',
        'Gather',
      );
      await explain(
        engine,
        roles.govAll,
        sqlOf('agg_count', MASKED_VIEW, salt),
        'the governed full scan (gov_all through the view)',
        'Gather',
      );
    }
    const samples = await interleaved(engine, items(kind, roles, salt), ROUNDS[kind]);
    report(kind, samples);
  });
}
