import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { memoryUsage } from 'node:process';
import type { EntitlementRows } from '../src/platforms/platform.ts';
import { mirrorSchemaName } from '../src/platforms/postgres/names.ts';
import { quoteIdent, quoteLiteral, quoteQualified } from '../src/platforms/postgres/quote.ts';
import type { PlanTarget } from '../src/policy/access-plan.ts';
import { inGroup } from '../src/policy/condition.ts';
import { planDataSource } from '../src/policy/plan.ts';
import type { Policy } from '../src/policy/policy.ts';
import type { RlsEngine } from './policy-engines.ts';
import { figure, note } from './report.ts';

/** Rows of the sales table (performance.md §2.2). */
export const ROWS = 5_000_000;
/** The ten regions of performance.md's `01_setup.sql`. */
export const REGIONS = [
  'us-east',
  'us-west',
  'eu-west',
  'eu-central',
  'ap-south',
  'ap-east',
  'sa-east',
  'af-south',
  'me-central',
  'ca-central',
] as const;
/** Padding principals in the entitlement tables (10 attribute values and one group each), as in `01_setup.sql`. */
const PADDING_USERS = 10_000;

/** The roles of the benchmark: the table's owner (unmanaged), a masked governed role, an exempt one. */
export interface RlsRoles {
  readonly owner: string;
  readonly govAll: string;
  readonly govExempt: string;
}

/** Role names unique to this run (roles are cluster-wide on a server). */
export function rlsRoles(): RlsRoles {
  const suffix = randomBytes(3).toString('hex');
  return { owner: `pol_owner_${suffix}`, govAll: `gov_all_${suffix}`, govExempt: `gov_exempt_${suffix}` };
}

/** The base table and the masking view governed roles read. */
export const BASE_TABLE = quoteQualified('perf', 'sales');
export const MASKED_VIEW = quoteQualified(mirrorSchemaName('steward', 'perf'), 'sales');

/** The table as planning sees it after a crawl, with the benchmark's column tags. */
const TARGET: PlanTarget = {
  id: '5000000',
  connectionKey: 'bench',
  database: 'perf',
  schema: 'perf',
  table: 'sales',
  tags: ['Domain.Sales'],
  columns: [
    { name: 'id', dataType: 'bigint', tags: [] },
    { name: 'customer_id', dataType: 'integer', tags: ['PII.CustomerId'] },
    { name: 'region', dataType: 'text', tags: ['Location.Region'] },
    { name: 'email', dataType: 'text', tags: ['PII.Email'] },
    { name: 'amount', dataType: 'numeric(12,2)', tags: [] },
    { name: 'ts', dataType: 'timestamp with time zone', tags: [] },
  ],
};

const common = { scope: 'global', staged: false, circumstanceOperator: 'any' } as const;
const exceptPrivacy = { kind: 'except', condition: inGroup('Privacy') } as const;

/**
 * Masks e-mail (hash) and amount (rounded to 100) for everyone except group Privacy, and filters rows
 * to the querying person's Region values. customer_id stays clear, so the indexed query can use its index.
 */
const POLICIES: readonly Policy[] = [
  {
    ...common,
    id: 1,
    policyKey: 'mask-email-and-amount',
    name: 'Mask e-mail and amounts',
    type: 'data',
    circumstances: [{ kind: 'columnTags', tag: 'PII' }],
    rules: [
      {
        kind: 'masking',
        audience: exceptPrivacy,
        fields: [{ kind: 'columnTag', tag: 'PII.Email' }],
        mask: { kind: 'hash' },
      },
      {
        kind: 'masking',
        audience: exceptPrivacy,
        fields: [{ kind: 'columnName', name: 'amount' }],
        mask: { kind: 'round', bucketSize: 100 },
      },
    ],
  },
  {
    ...common,
    id: 2,
    policyKey: 'rows-by-region',
    name: 'Rows of your regions',
    type: 'data',
    circumstances: [{ kind: 'columnTags', tag: 'Location.Region' }],
    rules: [
      {
        kind: 'rowByEntitlement',
        audience: { kind: 'everyone' },
        field: { kind: 'columnTag', tag: 'Location.Region' },
        match: { kind: 'attribute', key: 'Region' },
      },
    ],
  },
];

/**
 * Creates `perf.sales` owned by the owner role and fills it as `01_setup.sql` does, in one
 * INSERT ... SELECT generate_series; the primary key and indexes are built after the load (the same
 * table, faster to build). Notes and prints how long it took.
 */
export async function generateSales(engine: RlsEngine, roles: RlsRoles): Promise<void> {
  const owner = quoteIdent(roles.owner);
  const readers = [roles.govAll, roles.govExempt].map(quoteIdent).join(', ');
  const started = performance.now();
  await engine.exec(`CREATE SCHEMA perf AUTHORIZATION ${owner};
    SET ROLE ${owner};
    CREATE TABLE ${BASE_TABLE} (id bigint NOT NULL, customer_id int NOT NULL, region text NOT NULL,
      email text NOT NULL, amount numeric(12,2) NOT NULL, ts timestamptz NOT NULL);
    INSERT INTO ${BASE_TABLE}
    SELECT g,
           ((g::bigint * 7919) % 100000)::int,
           (ARRAY[${REGIONS.map(quoteLiteral).join(',')}])[1 + (g % 10)],
           'user' || (((g::bigint * 7919) % 100000)::int) || '@example' || (g % 97) || '.com',
           ((g::bigint * 37) % 100000) / 100.0,
           timestamptz '2024-01-01' + (g % 31536000) * interval '1 second'
      FROM generate_series(1, ${ROWS}) g;
    RESET ROLE;`);
  const loaded = performance.now();
  await engine.exec(`SET ROLE ${owner};
    ALTER TABLE ${BASE_TABLE} ADD PRIMARY KEY (id);
    CREATE INDEX sales_customer_idx ON ${BASE_TABLE} (customer_id);
    CREATE INDEX sales_email_pat_idx ON ${BASE_TABLE} (email text_pattern_ops);
    GRANT USAGE ON SCHEMA perf TO ${readers};
    GRANT SELECT ON ${BASE_TABLE} TO ${readers};
    RESET ROLE;
    GRANT ${owner} TO ${quoteIdent(engine.serviceRole)};`);
  const indexed = performance.now();
  await engine.exec(`VACUUM ANALYZE ${BASE_TABLE}`);
  const done = performance.now();
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const size = await engine.run(
    undefined,
    `SELECT pg_size_pretty(pg_total_relation_size(${quoteLiteral(BASE_TABLE)})) AS size`,
  );
  note(
    `policy_rls_${engine.kind}: generated ${ROWS.toLocaleString('en')} rows (${size.rows[0]?.['size']} with indexes) in ${s(done - started)} s: ` +
      `insert ${s(loaded - started)} s, primary key and indexes ${s(indexed - loaded)} s, VACUUM ANALYZE ${s(done - indexed)} s; ` +
      `process RSS ${(memoryUsage.rss() / 2 ** 30).toFixed(2)} GiB`,
  );
  figure(`policy_rls_${engine.kind}.generate_5m_rows`, (done - started) / 1000, 's');
}

function entitlementRows(roles: RlsRoles): EntitlementRows {
  const padding = Array.from({ length: PADDING_USERS }, (_, i) => `u${i + 1}`);
  return {
    user_principals: [roles.govAll, roles.govExempt, ...padding].map((p) => [p] as const),
    user_groups: [
      [roles.govExempt, 'Privacy'] as const,
      ...padding.map((p, i) => [p, `g${i % 100}`] as const),
    ],
    user_attributes: [
      ...[roles.govAll, roles.govExempt].flatMap((p) => REGIONS.map((r) => [p, 'Region', r] as const)),
      ...padding.flatMap((p, i) =>
        Array.from({ length: 10 }, (_, j) => [p, `attr${j + 1}`, `v${((i + 1) * (j + 1)) % 50}`] as const),
      ),
    ],
    user_subscriptions: [],
    user_purposes: [],
  };
}

/**
 * Pushes the entitlement rows (the two governed roles, all ten regions each, the exempt one in
 * Privacy, plus padding principals), plans the table with the benchmark's policies and enforces the
 * plan; analyzes the entitlement tables as autovacuum would. Returns the table's hash salt.
 */
export async function govern(engine: RlsEngine, roles: RlsRoles): Promise<string> {
  const plan = planDataSource(POLICIES, TARGET, { purposes: [] });
  const masked = plan.masks.map((m) => `${m.column}:${m.mask.kind}`).join(', ');
  if (masked !== 'email:hash, amount:roundNumber' || plan.rowFilters.length !== 1)
    throw new Error(
      `The benchmark's plan is not what it should be: masks ${masked}, ${plan.rowFilters.length} row filters.`,
    );
  const salt = randomBytes(16).toString('hex');
  const session = await engine.platform.connect({
    connectionKey: 'bench',
    connection: engine.connection,
    nativeIntegration: undefined,
  });
  try {
    await engine.platform.syncEntitlements!(session, entitlementRows(roles));
    const report = await engine.platform.enforce!(session, [{ plan, salt }], {});
    const failed = report.items.find((i) => i.status !== 'applied');
    if (failed) throw new Error(`Enforcement did not apply: ${failed.status} ${failed.error ?? ''}`);
    note(`policy_rls_${engine.kind}: enforced with ${report.executed} statements`);
  } finally {
    await session.close();
  }
  const tables = ['user_principals', 'user_groups', 'user_attributes', 'user_subscriptions', 'user_purposes'];
  await engine.exec(`ANALYZE ${tables.map((t) => quoteQualified('steward', t)).join(', ')}`);
  return salt;
}
