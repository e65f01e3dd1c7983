import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import type pg from 'pg';
import { DEMO_PEOPLE } from '../../src/demo/demo-people.ts';
import { DEMO_HOST, type DemoWarehouse, openDemoWarehouse } from '../../src/demo/warehouse.ts';
import type { Platform } from '../../src/platforms/platform.ts';
import { createPostgresPlatform, type PostgresSession } from '../../src/platforms/postgres/index.ts';
import { inGroup, not } from '../../src/policy/condition.ts';
import { column, inSubjectValues } from '../../src/policy/row-expr.ts';
import { filterOf, planOf } from '../platforms/postgres/plans.ts';

describe('the embedded demo warehouse', () => {
  let dir: string;
  let demo: DemoWarehouse;
  let platform: Platform<PostgresSession>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-demo-'));
    platform = createPostgresPlatform({
      resolveEndpoint: (c) =>
        c.hostname === DEMO_HOST ? (createPgConfig(demo.pglite) as unknown as pg.ClientConfig) : undefined,
    });
    demo = await openDemoWarehouse(dir, platform);
  });
  after(async () => {
    await demo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const asRole = async (role: string, text: string) =>
    demo.pglite.transaction(async (tx) => {
      await tx.query(`SELECT set_config('role', $1, true)`, [role]);
      return (await tx.query<Record<string, unknown>>(text)).rows;
    });

  it('owns its tables by the non-superuser demo_owner, of which the service role is a member', async () => {
    const { rows } = await demo.pglite.query<{ owner: string; member: boolean }>(
      `SELECT DISTINCT pg_get_userbyid(relowner) AS owner,
              pg_has_role('steward_service', relowner, 'MEMBER') AS member
         FROM pg_class WHERE relnamespace IN ('sales'::regnamespace, 'hr'::regnamespace) AND relkind = 'r'`,
    );
    assert.deepEqual(rows, [{ owner: 'demo_owner', member: true }]);
  });

  it('gives each demo person a database role that reads the demo tables', async () => {
    for (const person of DEMO_PEOPLE) {
      const [row] = await asRole(
        person.username,
        'SELECT current_user AS who, count(*)::int AS n FROM hr.employees',
      );
      assert.equal(row!['who'], person.username);
      assert.ok((row!['n'] as number) > 0);
    }
  });

  it('lets Steward enforce a row filter on a demo table, which its people then see', async () => {
    const session = await platform.connect({
      connectionKey: 'demo',
      connection: demo.connection,
      nativeIntegration: undefined,
    });
    try {
      await platform.syncEntitlements!(session, {
        user_principals: [['alice'], ['emil']],
        user_groups: [],
        user_attributes: [
          ['alice', 'Region', 'NA'],
          ['emil', 'Region', 'EMEA'],
        ],
        user_subscriptions: [],
        user_purposes: [],
      });
      const plan = planOf({
        id: 'demo-customers',
        schema: 'sales',
        table: 'customers',
        columns: [
          ['id', 'integer'],
          ['region', 'text'],
        ],
        rowFilters: [
          filterOf(
            inSubjectValues(column('region'), { kind: 'attribute', key: 'Region' }),
            not(inGroup('Privacy')),
          ),
        ],
      });
      const report = await platform.enforce!(session, [{ plan, salt: '00' }], {});
      assert.deepEqual(
        report.items.map((i) => [i.status, i.error]),
        [['applied', undefined]],
      );
    } finally {
      await session.close();
    }
    const regions = async (who: string) =>
      (await asRole(who, 'SELECT DISTINCT region FROM sales.customers ORDER BY 1')).map((r) => r['region']);
    assert.deepEqual(await regions('alice'), ['NA']);
    assert.deepEqual(await regions('emil'), ['EMEA']);
    assert.deepEqual(
      await regions('hana'),
      ['APAC', 'EMEA', 'LATAM', 'NA'],
      'not governed: her grants apply',
    );
  });
});
