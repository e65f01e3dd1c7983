import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { DatabricksSession } from '../../src/platforms/databricks/index.ts';
import type { EntitlementRows, Platform } from '../../src/platforms/platform.ts';
import { FakeDatabricks } from '../platforms/databricks/fake-databricks.ts';
import { connectionConfig, seedWorkspace, testPlatform } from '../platforms/databricks/payloads.ts';
import { type SimulatedTables, simulateEntitlementTables } from './fake-entitlement-tables.ts';
import { rowSets } from './warehouse-rows.ts';

const NASTY = "x'); DROP TABLE `steward`.`entitlements`.`user_groups`; --";

const ROWS: EntitlementRows = {
  user_principals: [['alice@corp.example'], ['bob@corp.example']],
  user_groups: [
    ['alice@corp.example', 'Finance'],
    ['bob@corp.example', NASTY],
  ],
  user_attributes: [
    ['alice@corp.example', 'Region', 'US'],
    ['alice@corp.example', 'Region', 'CA'],
  ],
  user_subscriptions: [['bob@corp.example', '42']],
  user_purposes: [],
};

function simulatedRows(tables: SimulatedTables): EntitlementRows {
  const of = (name: string) => (tables.get(name) ?? []) as never;
  return {
    user_principals: of('user_principals'),
    user_groups: of('user_groups'),
    user_attributes: of('user_attributes'),
    user_subscriptions: of('user_subscriptions'),
    user_purposes: of('user_purposes'),
  };
}

describe('Databricks entitlement sync (simulated Databricks REST server)', () => {
  let fake: FakeDatabricks;
  let tables: SimulatedTables;
  let session: DatabricksSession;
  const platform = testPlatform() as Platform<DatabricksSession>;
  const sync = (rows: EntitlementRows) => platform.syncEntitlements!(session, rows);
  const statements = () => fake.submitted.map((s) => s['statement'] as string);

  beforeEach(async () => {
    fake = await FakeDatabricks.start();
    seedWorkspace(fake);
    tables = new Map();
    fake.warehouse.handler = simulateEntitlementTables(tables);
    session = await platform.connect(connectionConfig(fake));
  });
  afterEach(() => fake.close());

  it('fills empty tables with one read and one MERGE per table that needs rows', async () => {
    const result = await sync(ROWS);
    assert.deepEqual(rowSets(simulatedRows(tables)), rowSets(ROWS));
    assert.equal(result.inserted, 7);
    assert.equal(result.deleted, 0);
    assert.deepEqual(result.tables.user_attributes, { rows: 2, inserted: 2, deleted: 0 });
    assert.deepEqual(
      statements().map((s) => s.split(' ').slice(0, 2).join(' ')),
      [
        'SELECT `principal`',
        'MERGE INTO',
        'SELECT `principal`,',
        'MERGE INTO',
        'SELECT `principal`,',
        'MERGE INTO',
        'SELECT `principal`,',
        'MERGE INTO',
        'SELECT `principal`,',
      ],
    );
  });

  it('sends the golden MERGE statement, with every value in the :rows parameter and none in the text', async () => {
    await sync(ROWS);
    const merge = fake.submitted.find(
      (s) =>
        (s['statement'] as string).includes('`user_groups`') &&
        (s['statement'] as string).startsWith('MERGE'),
    )!;
    assert.equal(
      merge['statement'],
      'MERGE INTO `steward`.`entitlements`.`user_groups` AS t USING (SELECT inline(from_json(:rows, ' +
        "'ARRAY<STRUCT<`principal`: STRING, `group_name`: STRING>>'))) AS s " +
        'ON t.`principal` = s.`principal` AND t.`group_name` = s.`group_name` ' +
        'WHEN NOT MATCHED THEN INSERT (`principal`, `group_name`) VALUES (s.`principal`, s.`group_name`)',
    );
    assert.deepEqual(merge['parameters'], [
      {
        name: 'rows',
        value: JSON.stringify([
          { principal: 'alice@corp.example', group_name: 'Finance' },
          { principal: 'bob@corp.example', group_name: NASTY },
        ]),
      },
    ]);
    for (const text of statements()) {
      assert.ok(!text.includes('DROP TABLE') && !text.includes('alice'), text);
    }
  });

  it('writes only the difference on the next sync, deletions first', async () => {
    await sync(ROWS);
    fake.warehouse.submitted.length = 0;
    const next: EntitlementRows = {
      ...ROWS,
      user_groups: [
        ['alice@corp.example', 'Finance'],
        ['alice@corp.example', 'HR'],
      ],
    };
    const result = await sync(next);
    assert.deepEqual(rowSets(simulatedRows(tables)), rowSets(next));
    assert.deepEqual(result.tables.user_groups, { rows: 2, inserted: 1, deleted: 1 });
    assert.equal(result.inserted + result.deleted, 2);
    const merges = statements().filter((s) => s.startsWith('MERGE'));
    assert.equal(merges.length, 2);
    assert.match(merges[0]!, /WHEN MATCHED THEN DELETE$/);
    assert.match(merges[1]!, /WHEN NOT MATCHED THEN INSERT/);
    assert.equal(statements().length, 7, 'five reads and two merges');
  });

  it('reads a large table page by page and batches large differences', async () => {
    const stale = Array.from({ length: 100_001 }, (_, i) => ['old', `g${String(i).padStart(6, '0')}`]);
    tables.set('user_groups', stale);
    const many: EntitlementRows = {
      ...ROWS,
      user_attributes: Array.from({ length: 12_000 }, (_, i) => ['p', 'k', `v${i}`] as const),
    };
    const result = await sync(many);
    assert.deepEqual(rowSets(simulatedRows(tables)), rowSets(many));
    assert.equal(result.tables.user_groups.deleted, 100_001);
    const groupReads = fake.submitted.filter(
      (s) =>
        (s['statement'] as string).startsWith('SELECT') &&
        (s['statement'] as string).includes('`user_groups`'),
    );
    assert.equal(groupReads.length, 2, 'two pages of 100,000 rows at most');
    assert.deepEqual(groupReads[1]!['parameters'], [
      { name: 'k0', value: 'old' },
      { name: 'k1', value: 'g099999' },
    ]);
    const merges = statements().filter((s) => s.startsWith('MERGE'));
    const deletes = merges.filter((s) => s.endsWith('DELETE')).length;
    assert.equal(deletes, 21, '100,001 deletions in batches of 5,000');
    assert.equal(
      merges.length - deletes,
      1 + 1 + 3 + 1,
      'inserts: principals, groups, 12,000 attributes in 3 batches, subscriptions',
    );
  });

  it('refuses a connection without a Steward catalog, naming the setting', async () => {
    const bare = await platform.connect({ ...connectionConfig(fake), nativeIntegration: undefined });
    await assert.rejects(platform.syncEntitlements!(bare, ROWS), /nativeIntegration\.config\.catalog/);
    assert.equal(fake.submitted.length, 0);
  });
});
