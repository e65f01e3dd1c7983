import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { AppError } from '../../../src/errors/index.ts';
import type {
  EnforcementOptions,
  EnforcementReport,
  EnforcementTarget,
  EntitlementRows,
  Platform,
} from '../../../src/platforms/platform.ts';
import { createPostgresPlatform, type PostgresSession } from '../../../src/platforms/postgres/index.ts';
import { postgresScript } from '../../../src/platforms/postgres/script.ts';
import { inGroup, not, or, SUBSCRIBED } from '../../../src/policy/condition.ts';
import { column, compare, inSubjectValues, literal } from '../../../src/policy/row-expr.ts';
import { superuserClient } from '../../entitlements/warehouse-rows.ts';
import { TEST_SERVER_URL } from '../../support/store.ts';
import {
  createEmbeddedWarehouse,
  createServerWarehouse,
  type TestWarehouse,
} from '../../support/warehouse.ts';
import { filterOf, maskOf, planOf } from './plans.ts';

const q = pg.escapeIdentifier;
const SALT = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const hashOf = (value: string) =>
  createHash('sha256')
    .update(SALT + value, 'utf8')
    .digest('hex');
const notPrivacy = not(inGroup('Privacy'));

const ORDERS = planOf({
  id: '101',
  schema: 'sales',
  table: 'orders',
  columns: [
    ['id', 'integer'],
    ['region', 'text'],
    ['amount', 'numeric'],
  ],
  subscription: or(SUBSCRIBED, inGroup('Finance')),
  rowFilters: [filterOf(inSubjectValues(column('region'), { kind: 'attribute', key: 'Region' }), notPrivacy)],
});
const CUSTOMER_COLUMNS = [
  ['id', 'integer'],
  ['name', 'text'],
  ['email', 'character varying(80)'],
  ['phone', 'text'],
  ['salary', 'integer'],
  ['balance', 'numeric(10,2)'],
  ['born', 'date'],
  ['signed_up', 'timestamp with time zone'],
] as const;
const CUSTOMERS = planOf({
  id: '102',
  schema: 'sales',
  table: 'customers',
  columns: CUSTOMER_COLUMNS,
  masks: [
    maskOf('name', 'text', { kind: 'constant', value: 'REDACTED' }, inGroup('Analysts'), {
      otherwise: { kind: 'null' },
    }),
    maskOf('email', 'character varying(80)', { kind: 'hash' }, notPrivacy),
    maskOf(
      'phone',
      'text',
      { kind: 'regex', pattern: '\\d', replacement: '#', caseInsensitive: false },
      notPrivacy,
    ),
    maskOf('salary', 'integer', { kind: 'roundNumber', bucket: 1000 }, notPrivacy),
    maskOf('balance', 'numeric(10,2)', { kind: 'roundNumber', bucket: 100 }, notPrivacy),
    maskOf('born', 'date', { kind: 'truncateTime', unit: 'year' }, notPrivacy),
    maskOf('signed_up', 'timestamp with time zone', { kind: 'truncateTime', unit: 'month' }, notPrivacy),
  ],
});
const TICKETS = planOf({
  id: '103',
  schema: 'sales',
  table: 'tickets',
  columns: [
    ['id', 'integer'],
    ['body', 'text'],
    ['vip', 'boolean'],
  ],
  masks: [
    maskOf('body', 'text', { kind: 'null' }, notPrivacy, {
      rowCondition: compare('=', column('vip'), literal(true)),
    }),
  ],
});
const LEDGER = planOf({
  id: '104',
  schema: 'sales',
  table: 'ledger',
  columns: [['id', 'integer']],
  subscription: SUBSCRIBED,
});
const EXTRA = planOf({
  id: '105',
  schema: 'sales',
  table: 'extra',
  columns: [['id', 'integer']],
  subscription: SUBSCRIBED,
});

const target = (plan: typeof ORDERS): EnforcementTarget => ({ plan, salt: SALT });
const TARGETS = [ORDERS, CUSTOMERS, TICKETS].map(target);

for (const kind of ['embedded', 'server'] as const) {
  describe(`enforcement in a real PostgreSQL (${kind === 'server' ? 'local server 15' : 'embedded PGlite 18'})`, () => {
    const suffix = randomBytes(3).toString('hex');
    const role = (name: string) => `${name}_${suffix}`;
    const [owner, stranger, readers, alice, bob, carol, dave, erin, frank, etl] = [
      'own',
      'stranger',
      'readers',
      'alice',
      'bob',
      'carol',
      'dave',
      'erin',
      'frank',
      'etl',
    ].map(role) as [string, string, string, string, string, string, string, string, string, string];
    const people = [alice, bob, carol, dave, erin, frank];
    const roles = [owner, stranger, readers, ...people, etl];
    let wh: TestWarehouse;
    let su: pg.Client;
    let platform: Platform<PostgresSession>;
    const clients = new Map<string, pg.Client>();

    /** Runs one statement as a database role: its own login on the server, SET ROLE on PGlite. */
    async function as(who: string, text: string): Promise<Record<string, unknown>[]> {
      if (kind === 'embedded') {
        await su.query(`SET ROLE ${q(who)}`);
        try {
          return (await su.query(text)).rows;
        } finally {
          await su.query('RESET ROLE');
        }
      }
      let client = clients.get(who);
      if (!client) {
        const url = new URL(TEST_SERVER_URL);
        url.pathname = `/${wh.database}`;
        url.username = who;
        url.password = '';
        client = new pg.Client({ connectionString: url.toString() });
        client.on('error', () => {});
        await client.connect();
        clients.set(who, client);
      }
      return (await client.query(text)).rows;
    }
    const ids = async (who: string, text: string) => (await as(who, text)).map((r) => Number(r['id']));
    const sqlError = async (promise: Promise<unknown>): Promise<{ code?: string; message: string }> => {
      try {
        await promise;
      } catch (error) {
        return error as { code?: string; message: string };
      }
      assert.fail('expected the statement to fail');
    };

    async function withSession<T>(fn: (s: PostgresSession) => Promise<T>): Promise<T> {
      const session = await platform.connect({
        connectionKey: 'wh',
        connection: wh.connection,
        nativeIntegration: undefined,
      });
      try {
        return await fn(session);
      } finally {
        await session.close();
      }
    }
    const enforce = (targets: readonly EnforcementTarget[], options: EnforcementOptions = {}) =>
      withSession((s) => platform.enforce!(s, targets, options));
    const push = (rows: EntitlementRows) => withSession((s) => platform.syncEntitlements!(s, rows));
    const item = (report: EnforcementReport, id: string) => report.items.find((i) => i.dataSourceId === id)!;

    const ROWS: EntitlementRows = {
      user_principals: people.map((p) => [p] as const),
      user_groups: [
        [alice, 'Analysts'],
        [bob, 'Privacy'],
        [erin, 'Finance'],
        [frank, 'Privacy'],
      ],
      user_attributes: [
        [alice, 'Region', 'NA'],
        [bob, 'Region', 'NA'],
        [dave, 'Region', 'NA'],
        [erin, 'Region', 'EMEA'],
      ],
      user_subscriptions: [
        [alice, '101'],
        [bob, '101'],
        [carol, '101'],
        [frank, '101'],
      ],
      user_purposes: [],
    };

    before(async () => {
      wh = kind === 'server' ? await createServerWarehouse() : await createEmbeddedWarehouse();
      su = await superuserClient(wh);
      su.on('error', () => {});
      platform = createPostgresPlatform({ resolveEndpoint: wh.resolveEndpoint });
      await su.query(`
        CREATE ROLE ${q(owner)} LOGIN; CREATE ROLE ${q(stranger)}; CREATE ROLE ${q(readers)};
        ${people
          .filter((p) => p !== frank)
          .map((p) => `CREATE ROLE ${q(p)} LOGIN IN ROLE ${q(readers)};`)
          .join(' ')}
        CREATE ROLE ${q(frank)} LOGIN; CREATE ROLE ${q(etl)} LOGIN;
        GRANT ${q(owner)} TO ${q(wh.role)};
        CREATE SCHEMA sales AUTHORIZATION ${q(owner)};
        GRANT USAGE ON SCHEMA sales TO ${q(readers)}, ${q(etl)}, ${q(frank)};
        SET ROLE ${q(owner)};
        CREATE TABLE sales.orders (id int PRIMARY KEY, region text NOT NULL, amount numeric);
        INSERT INTO sales.orders VALUES (1, 'NA', 10), (2, 'EMEA', 20), (3, 'APAC', 30), (4, 'NA', 40);
        CREATE TABLE sales.customers (id int, name text, email varchar(80), phone text, salary int,
          balance numeric(10,2), born date, signed_up timestamptz);
        INSERT INTO sales.customers VALUES
          (1, 'Ann', 'ann@x.example', '+1 555 0100', 52345, 1234.56, '1990-05-17', '2024-03-15 10:00+00'),
          (2, 'Ben', 'ben@x.example', '+44 20 7946', -1500, 99.99, '1985-12-31', '2024-07-04 13:30+00'),
          (3, 'Cat', 'ann@x.example', NULL, 1000, 0, NULL, '2023-01-20 00:00+00');
        CREATE TABLE sales.tickets (id int, body text, vip boolean);
        INSERT INTO sales.tickets VALUES (1, 'hello', false), (2, 'vip secret', true), (3, 'unknown vip', NULL),
          (4, 'plain', false);
        CREATE TABLE sales.extra (id int);
        INSERT INTO sales.extra VALUES (1);
        CREATE VIEW sales.orders_report AS SELECT id, region FROM sales.orders;
        GRANT SELECT ON ALL TABLES IN SCHEMA sales TO ${q(readers)};
        GRANT SELECT, INSERT, DELETE ON sales.orders TO ${q(etl)};
        GRANT INSERT ON sales.orders TO ${q(alice)};
        RESET ROLE;
        CREATE TABLE sales.ledger (id int);
        ALTER TABLE sales.ledger OWNER TO ${q(stranger)};
      `);
      await push(ROWS);
    });

    after(async () => {
      for (const c of clients.values()) await c.end().catch(() => {});
      await su?.end().catch(() => {});
      await wh?.drop();
      if (kind === 'server') {
        const admin = new pg.Client({ connectionString: TEST_SERVER_URL });
        await admin.connect();
        try {
          for (const r of roles) await admin.query(`DROP ROLE IF EXISTS ${q(r)}`);
        } finally {
          await admin.end();
        }
      }
    });

    it('applies every governed table, and a second enforce with the same plans executes nothing', async () => {
      const first = await enforce(TARGETS);
      assert.deepEqual(
        first.items.map((i) => [i.dataSourceId, i.status, i.error]),
        [
          ['101', 'applied', undefined],
          ['102', 'applied', undefined],
          ['103', 'applied', undefined],
        ],
      );
      assert.ok(first.executed > 0);
      assert.ok(first.items.every((i) => i.changes.every((c) => !c.drift)));
      const second = await enforce(TARGETS);
      assert.equal(second.executed, 0);
      assert.deepEqual(
        second.items.map((i) => [i.status, i.statements.length]),
        [
          ['unchanged', 0],
          ['unchanged', 0],
          ['unchanged', 0],
        ],
      );
    });

    it('denies non-subscribers, filters rows by attribute, and fails closed for a person without attributes', async () => {
      const orders = 'SELECT id FROM sales.orders ORDER BY id';
      assert.deepEqual(await ids(alice, orders), [1, 4], 'subscribed, Region NA');
      assert.deepEqual(await ids(bob, orders), [1, 2, 3, 4], 'Privacy is exempt from the row filter');
      assert.deepEqual(await ids(carol, orders), [], 'subscribed but no Region value');
      assert.deepEqual(await ids(dave, orders), [], 'not subscribed');
      assert.deepEqual(await ids(erin, orders), [2], 'Finance may read it without a subscription');
      assert.deepEqual(await ids(alice, 'SELECT id FROM steward_sales.orders ORDER BY id'), [1, 4]);
    });

    it('applies the policies to governed people reading through a view the table owner created', async () => {
      const report = 'SELECT id FROM sales.orders_report ORDER BY id';
      assert.deepEqual(await ids(alice, report), [1, 4]);
      assert.deepEqual(await ids(carol, report), []);
      assert.deepEqual(await ids(owner, report), [1, 2, 3, 4]);
    });

    it('leaves unmanaged roles their access, writes included, and stops governed people writing', async () => {
      assert.deepEqual(await ids(etl, 'SELECT id FROM sales.orders ORDER BY id'), [1, 2, 3, 4]);
      await as(etl, `INSERT INTO sales.orders VALUES (5, 'LATAM', 1)`);
      await as(etl, 'DELETE FROM sales.orders WHERE id = 5');
      assert.deepEqual(await ids(owner, 'SELECT id FROM sales.customers ORDER BY id'), [1, 2, 3]);
      const refused = await sqlError(as(alice, `INSERT INTO sales.orders VALUES (6, 'NA', 1)`));
      assert.equal(refused.code, '42501');
      assert.deepEqual(
        await ids(etl, 'SELECT id FROM steward_sales.orders'),
        [],
        'the views serve governed people only',
      );
    });

    it('masks every kind of value through the view, keeping equal hashes equal within the table', async () => {
      const rows = await as(
        alice,
        `SELECT id, name, email, phone, salary, balance::text AS balance, born::text AS born,
                to_char(signed_up, 'YYYY-MM-DD HH24:MI') AS signed_up
           FROM steward_sales.customers ORDER BY id`,
      );
      assert.deepEqual(rows, [
        {
          id: 1,
          name: 'REDACTED',
          email: hashOf('ann@x.example'),
          phone: '+# ### ####',
          salary: 52000,
          balance: '1200',
          born: '1990-01-01',
          signed_up: '2024-03-01 00:00',
        },
        {
          id: 2,
          name: 'REDACTED',
          email: hashOf('ben@x.example'),
          phone: '+## ## ####',
          salary: -2000,
          balance: '0',
          born: '1985-01-01',
          signed_up: '2024-07-01 00:00',
        },
        {
          id: 3,
          name: 'REDACTED',
          email: hashOf('ann@x.example'),
          phone: null,
          salary: 1000,
          balance: '0',
          born: null,
          signed_up: '2023-01-01 00:00',
        },
      ]);
      const exempt = await as(bob, 'SELECT name, email, salary FROM steward_sales.customers ORDER BY id');
      assert.deepEqual(exempt[0], { name: null, email: 'ann@x.example', salary: 52345 }, 'otherwise: NULL');
      assert.deepEqual(await ids(carol, 'SELECT id FROM steward_sales.customers ORDER BY id'), [1, 2, 3]);
    });

    it('reveals only masked values to WHERE, ORDER BY, GROUP BY, min and max on masked columns', async () => {
      const v = 'steward_sales.customers';
      const one = async (text: string) => (await as(alice, text))[0];
      assert.deepEqual(await one(`SELECT count(*)::int AS n FROM ${v} WHERE email = 'ann@x.example'`), {
        n: 0,
      });
      assert.deepEqual(await one(`SELECT count(*)::int AS n FROM ${v} WHERE salary = 52345`), { n: 0 });
      assert.deepEqual(await one(`SELECT count(*)::int AS n FROM ${v} WHERE salary = 52000`), { n: 1 });
      assert.deepEqual(await one(`SELECT min(salary) AS lo, max(salary) AS hi FROM ${v}`), {
        lo: -2000,
        hi: 52000,
      });
      assert.deepEqual(await one(`SELECT min(email) AS lo, max(email) AS hi FROM ${v}`), {
        lo: [hashOf('ann@x.example'), hashOf('ben@x.example')].sort()[0],
        hi: [hashOf('ann@x.example'), hashOf('ben@x.example')].sort()[1],
      });
      assert.deepEqual(
        await as(alice, `SELECT email, count(*)::int AS n FROM ${v} GROUP BY email ORDER BY n DESC, email`),
        [
          { email: hashOf('ann@x.example'), n: 2 },
          { email: hashOf('ben@x.example'), n: 1 },
        ],
      );
      assert.deepEqual(await ids(alice, `SELECT id FROM ${v} ORDER BY salary DESC, id`), [1, 3, 2]);
    });

    it('hides from masked people every base-table row in which a cell would be masked for them', async () => {
      assert.deepEqual(await ids(alice, 'SELECT id FROM sales.tickets ORDER BY id'), [1, 4]);
      assert.deepEqual(await as(alice, 'SELECT max(body) AS b, count(*)::int AS n FROM sales.tickets'), [
        { b: 'plain', n: 2 },
      ]);
      assert.deepEqual(await ids(alice, `SELECT id FROM sales.tickets WHERE body = 'vip secret'`), []);
      assert.deepEqual(await ids(bob, 'SELECT id FROM sales.tickets ORDER BY id'), [1, 2, 3, 4]);
      assert.deepEqual(await as(alice, 'SELECT id, body FROM steward_sales.tickets ORDER BY id'), [
        { id: 1, body: 'hello' },
        { id: 2, body: null },
        { id: 3, body: null },
        { id: 4, body: 'plain' },
      ]);
      assert.deepEqual(await as(alice, 'SELECT count(*)::int AS n, max(email) AS e FROM sales.customers'), [
        { n: 0, e: null },
      ]);
      assert.deepEqual(
        await ids(bob, 'SELECT id FROM sales.customers'),
        [],
        'bob gets NULL names: masked too',
      );
    });

    it('never shows a leaky function of a governed person the rows or values it filters', async () => {
      await as(alice, 'CREATE TEMP TABLE seen (v text)');
      await as(
        alice,
        `CREATE FUNCTION pg_temp.peek(text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001
           AS $$ BEGIN INSERT INTO pg_temp.seen VALUES ($1); RETURN true; END $$`,
      );
      try {
        await as(alice, 'SELECT count(*) FROM sales.tickets WHERE pg_temp.peek(body)');
        await as(alice, 'SELECT count(*) FROM sales.orders WHERE pg_temp.peek(region)');
        await as(alice, 'SELECT count(*) FROM sales.customers WHERE pg_temp.peek(email)');
        await as(alice, 'SELECT count(*) FROM steward_sales.customers WHERE pg_temp.peek(email)');
        await as(alice, 'SELECT count(*) FROM steward_sales.tickets WHERE pg_temp.peek(body)');
        await as(alice, 'SELECT count(*) FROM steward_sales.orders WHERE pg_temp.peek(region)');
        const seen = new Set((await as(alice, 'SELECT v FROM pg_temp.seen')).map((r) => r['v']));
        for (const secret of [
          'vip secret',
          'unknown vip',
          'EMEA',
          'APAC',
          'ann@x.example',
          'ben@x.example',
        ]) {
          assert.ok(!seen.has(secret), `the function saw ${secret}`);
        }
        assert.ok(seen.has('hello') && seen.has('NA') && seen.has(hashOf('ann@x.example')));
      } finally {
        await as(alice, 'DROP FUNCTION pg_temp.peek(text)');
        await as(alice, 'DROP TABLE pg_temp.seen');
      }
    });

    it('keeps salts out of reach and still needs a grant on the table to read its view', async () => {
      const denied = await sqlError(as(alice, 'SELECT * FROM steward.mask_salts'));
      assert.equal(denied.code, '42501');
      assert.deepEqual(await ids(frank, 'SELECT id FROM steward_sales.orders'), [], 'frank holds no SELECT');
    });

    it('evaluates every fact about the person once per query, never per row', async () => {
      for (const query of [
        'SELECT * FROM sales.orders WHERE id = 1',
        'SELECT * FROM steward_sales.customers',
        'SELECT * FROM sales.tickets',
      ]) {
        const plan = (await as(alice, `EXPLAIN ${query}`)).map((r) => r['QUERY PLAN']).join('\n');
        assert.match(plan, /InitPlan/, plan);
        assert.doesNotMatch(plan, /SubPlan/, plan);
      }
    });

    it('pins search_path in every helper function, each stable, parallel safe and security invoker', async () => {
      const { rows } = await su.query(`
        SELECT proname, proconfig, provolatile, proparallel, prosecdef FROM pg_proc
         WHERE pronamespace = 'steward'::regnamespace ORDER BY proname`);
      assert.deepEqual(
        rows.map((r) => r.proname),
        [
          'attribute_values',
          'current_groups',
          'current_purposes',
          'has_attribute',
          'in_group',
          'is_governed',
          'is_subscribed',
          'using_purpose',
        ],
      );
      for (const r of rows) {
        assert.deepEqual(r.proconfig, ['search_path=pg_catalog, pg_temp'], r.proname);
        assert.deepEqual([r.provolatile, r.proparallel, r.prosecdef], ['s', 's', false], r.proname);
      }
    });

    it('changes what the next query returns when only entitlements change, with no DDL', async () => {
      await push({ ...ROWS, user_attributes: [...ROWS.user_attributes, [alice, 'Region', 'EMEA']] });
      assert.deepEqual(await ids(alice, 'SELECT id FROM sales.orders ORDER BY id'), [1, 2, 4]);
      await push({ ...ROWS, user_groups: [...ROWS.user_groups, [alice, 'Privacy']] });
      assert.deepEqual(await ids(alice, 'SELECT id FROM sales.orders ORDER BY id'), [1, 2, 3, 4]);
      await push({ ...ROWS, user_principals: ROWS.user_principals.filter(([p]) => p !== dave) });
      assert.deepEqual(
        await ids(dave, 'SELECT id FROM sales.orders ORDER BY id'),
        [1, 2, 3, 4],
        'no longer governed: dave reads what his grants give him',
      );
      await push(ROWS);
      assert.deepEqual(await ids(alice, 'SELECT id FROM sales.orders ORDER BY id'), [1, 4]);
    });

    const drifts: ReadonlyArray<readonly [string, string, RegExp]> = [
      ['a dropped policy', 'DROP POLICY steward_read ON sales.orders', /policy was dropped out of band/],
      [
        'disabled row level security',
        'ALTER TABLE sales.orders DISABLE ROW LEVEL SECURITY',
        /row level security was disabled out of band/,
      ],
      [
        'unforced row level security',
        'ALTER TABLE sales.orders NO FORCE ROW LEVEL SECURITY',
        /no longer forced/,
      ],
      [
        'a widened policy',
        'ALTER POLICY steward_read ON sales.orders USING (true)',
        /policy was altered out of band/,
      ],
      [
        'a grant to PUBLIC',
        'GRANT SELECT, UPDATE ON sales.orders TO PUBLIC',
        /PUBLIC was granted SELECT, UPDATE/,
      ],
      [
        'a replaced view',
        `CREATE OR REPLACE VIEW steward_sales.orders AS SELECT * FROM sales.orders WHERE id > 0`,
        /view was altered/,
      ],
      ['a dropped view', 'DROP VIEW steward_sales.orders', /view was dropped out of band/],
      [
        'a mirror schema closed to PUBLIC',
        'REVOKE USAGE ON SCHEMA steward_sales FROM PUBLIC',
        /USAGE .* revoked/,
      ],
    ];
    for (const [what, statement, reason] of drifts) {
      it(`detects ${what} as drift and repairs it`, async () => {
        await su.query(statement);
        const report = await enforce(TARGETS);
        const orders = item(report, '101');
        assert.equal(orders.status, 'applied');
        assert.ok(
          orders.changes.some((c) => c.drift && reason.test(c.reason)),
          JSON.stringify(orders.changes),
        );
        assert.deepEqual(
          report.items.filter((i) => i.dataSourceId !== '101').map((i) => i.status),
          ['unchanged', 'unchanged'],
        );
        assert.deepEqual(await ids(alice, 'SELECT id FROM sales.orders ORDER BY id'), [1, 4]);
        assert.deepEqual(await ids(alice, 'SELECT id FROM steward_sales.orders ORDER BY id'), [1, 4]);
        const { rows } = await su.query(
          `SELECT count(*)::int AS n FROM pg_class c, aclexplode(c.relacl) a
            WHERE c.oid = 'sales.orders'::regclass AND a.grantee = 0`,
        );
        assert.equal(rows[0].n, 0);
        assert.equal((await enforce(TARGETS)).executed, 0);
      });
    }

    it('fails a table the service role cannot alter, leaving it as it was, while the others apply', async () => {
      const report = await enforce([...TARGETS, target(LEDGER), target(EXTRA)]);
      const ledger = item(report, '104');
      assert.equal(ledger.status, 'failed');
      assert.match(
        ledger.error!,
        new RegExp(`cannot alter sales\\.ledger.*GRANT "${stranger}" TO "${wh.role}"`),
      );
      assert.equal(item(report, '105').status, 'applied');
      assert.deepEqual(
        ['101', '102', '103'].map((id) => item(report, id).status),
        ['unchanged', 'unchanged', 'unchanged'],
      );
      const { rows } = await su.query(`
        SELECT relrowsecurity, relforcerowsecurity,
               (SELECT count(*)::int FROM pg_policy WHERE polrelid = c.oid) AS policies
          FROM pg_class c WHERE c.oid = 'sales.ledger'::regclass`);
      assert.deepEqual(rows, [{ relrowsecurity: false, relforcerowsecurity: false, policies: 0 }]);
      assert.deepEqual(
        await ids(alice, 'SELECT id FROM sales.extra'),
        [],
        'alice is not subscribed to extra',
      );
    });

    it('computes a dry run without executing anything', async () => {
      const changed = planOf({
        id: '102',
        schema: 'sales',
        table: 'customers',
        columns: CUSTOMER_COLUMNS,
        masks: CUSTOMERS.masks.filter((m) => m.column !== 'email'),
      });
      const targets = [target(ORDERS), target(changed), target(TICKETS), target(EXTRA)];
      const report = await enforce(targets, { dryRun: true });
      assert.equal(report.dryRun, true);
      assert.equal(report.executed, 0);
      const customers = item(report, '102');
      assert.equal(customers.status, 'applied');
      assert.ok(customers.statements.some((s) => s.startsWith('CREATE VIEW "steward_sales"."customers"')));
      assert.ok(
        customers.changes.some((c) => c.object === 'view steward_sales.customers' && c.reason === 'changed'),
      );
      assert.ok(!customers.statements.some((s) => s.includes(SALT)), 'the salt travels as a parameter');
      const [row] = await as(alice, 'SELECT email FROM steward_sales.customers WHERE id = 2');
      assert.equal(row!['email'], hashOf('ben@x.example'), 'still masked');
      assert.equal((await enforce([...TARGETS, target(EXTRA)])).executed, 0);
    });

    it('removes the objects of a data source that is no longer governed, restoring the table', async () => {
      const report = await enforce([target(ORDERS), target(TICKETS), target(EXTRA)]);
      assert.equal(item(report, '102').status, 'removed');
      assert.ok(item(report, '102').changes.some((c) => c.object === 'view steward_sales.customers'));
      const { rows } = await su.query(`
        SELECT relrowsecurity, relforcerowsecurity,
               (SELECT count(*)::int FROM pg_policy WHERE polrelid = c.oid) AS policies,
               to_regclass('steward_sales.customers') IS NULL AS view_gone,
               (SELECT count(*)::int FROM steward.mask_salts WHERE data_source_id = '102') AS salts
          FROM pg_class c WHERE c.oid = 'sales.customers'::regclass`);
      assert.deepEqual(rows, [
        { relrowsecurity: false, relforcerowsecurity: false, policies: 0, view_gone: true, salts: 0 },
      ]);
      assert.deepEqual(await ids(alice, 'SELECT id FROM sales.customers ORDER BY id'), [1, 2, 3]);
    });

    it('refuses an empty desired set unless allowed, then removes everything', async () => {
      await assert.rejects(enforce([]), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.code, 'PLATFORM_ERROR');
        assert.match(error.detail, /empty desired set/);
        return true;
      });
      assert.deepEqual(await ids(alice, 'SELECT id FROM sales.orders ORDER BY id'), [1, 4], 'still enforced');
      const report = await enforce([], { allowEmpty: true });
      assert.deepEqual(report.items.map((i) => [i.dataSourceId, i.status]).sort(), [
        ['101', 'removed'],
        ['103', 'removed'],
        ['105', 'removed'],
      ]);
      const { rows } = await su.query(`
        SELECT (SELECT count(*)::int FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
                 WHERE c.relnamespace = 'sales'::regnamespace) AS policies,
               (SELECT count(*)::int FROM pg_class c WHERE c.relnamespace = 'sales'::regnamespace
                 AND (c.relrowsecurity OR c.relforcerowsecurity)) AS secured,
               to_regnamespace('steward_sales') IS NULL AS mirror_gone,
               (SELECT count(*)::int FROM steward.mask_salts) + (SELECT count(*)::int FROM steward.enforced_tables) AS state`);
      assert.deepEqual(rows, [{ policies: 0, secured: 0, mirror_gone: true, state: 0 }]);
      assert.deepEqual(await ids(carol, 'SELECT id FROM sales.orders ORDER BY id'), [1, 2, 3, 4]);
      assert.equal((await enforce([], { allowEmpty: true })).executed, 0);
    });

    it("restores every governed table with the integration's removal script", async () => {
      assert.deepEqual(
        (await enforce(TARGETS)).items.map((i) => i.status),
        ['applied', 'applied', 'applied'],
      );
      await su.query(
        postgresScript(
          { host: 'h', port: 5432, database: wh.database, schema: 'steward', username: wh.role },
          'delete',
        ),
      );
      const { rows } = await su.query(`
        SELECT (SELECT count(*)::int FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
                 WHERE c.relnamespace = 'sales'::regnamespace) AS policies,
               (SELECT count(*)::int FROM pg_class c WHERE c.relnamespace = 'sales'::regnamespace
                 AND (c.relrowsecurity OR c.relforcerowsecurity)) AS secured,
               to_regnamespace('steward_sales') IS NULL AND to_regnamespace('steward') IS NULL AS schemas_gone`);
      assert.deepEqual(rows, [{ policies: 0, secured: 0, schemas_gone: true }]);
      assert.deepEqual(await ids(alice, 'SELECT id FROM sales.orders ORDER BY id'), [1, 2, 3, 4]);
    });
  });
}
