import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { sql } from 'kysely';
import type pg from 'pg';
import { computeEntitlements } from '../../src/entitlements/compute.ts';
import { loadDirectory } from '../../src/entitlements/load.ts';
import { ENTITLEMENT_SYNC_JOB_TYPE } from '../../src/entitlements/request-sync.ts';
import { withDebouncedWake } from '../../src/entitlements/schedule.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import { markEntitlementsChanged } from '../../src/people/entitlements-changed.ts';
import type { Db } from '../../src/store/schema.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { silentLogger, waitFor } from '../support/job-helpers.ts';
import { runBulk } from '../support/jobs.ts';
import {
  createEmbeddedWarehouse,
  createServerWarehouse,
  platformsFor,
  type TestWarehouse,
} from '../support/warehouse.ts';
import { type RowSets, readWarehouseRows, rowSets, superuserClient } from './warehouse-rows.ts';

// Small pools, so random changes collide: a principal equal to another user's name, values that
// would break naive quoting or array literals.
const NAMES = ['alice', 'bob', "o'brien", 'zoë', 'x"y', 'svc_bob'];
const GROUPS = ['Finance', 'HR', "Sales 'EU'", 'a,b', '{braces}', 'NULL', 'back\\slash'];
const KEYS = ['Region', 'Department', 'Special Access'];
const VALUES = ['US', 'CA', 'sales.*', '', "x'); DROP TABLE steward.user_groups; --", 'ü'];
const PRINCIPALS = ['alice', 'svc_bob', 'alice@corp.example', 'DUP'];
const TABLES = ['customers', 'orders', 'payments'];

type Command =
  | { kind: 'create'; name: string }
  | { kind: 'join' | 'leave'; user: number; group: string }
  | { kind: 'setAttr' | 'unsetAttr'; user: number; key: string; value: string }
  | { kind: 'state'; user: number; state: 'active' | 'disabled' }
  | { kind: 'external'; user: number; mode: 'explicit' | 'none' | 'unset'; principal: string }
  | { kind: 'member'; user: number; ds: number; role: 'owner' | 'subscriber' | 'expert'; expiry: Expiry }
  | { kind: 'unmember'; user: number; ds: number };
type Expiry = 'never' | 'past' | 'future';

const user = fc.nat(20);
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), name: fc.constantFrom(...NAMES) }),
  fc.record({
    kind: fc.constantFrom('join' as const, 'leave' as const),
    user,
    group: fc.constantFrom(...GROUPS),
  }),
  fc.record({
    kind: fc.constantFrom('setAttr' as const, 'unsetAttr' as const),
    user,
    key: fc.constantFrom(...KEYS),
    value: fc.constantFrom(...VALUES),
  }),
  fc.record({
    kind: fc.constant('state' as const),
    user,
    state: fc.constantFrom('active' as const, 'disabled' as const),
  }),
  fc.record({
    kind: fc.constant('external' as const),
    user,
    mode: fc.constantFrom('explicit' as const, 'none' as const, 'unset' as const),
    principal: fc.constantFrom(...PRINCIPALS),
  }),
  fc.record({
    kind: fc.constant('member' as const),
    user,
    ds: fc.nat(TABLES.length - 1),
    role: fc.constantFrom('owner' as const, 'subscriber' as const, 'expert' as const),
    expiry: fc.constantFrom('never' as const, 'past' as const, 'future' as const),
  }),
  fc.record({ kind: fc.constant('unmember' as const), user, ds: fc.nat(TABLES.length - 1) }),
);
/** A change, and whether to pause after it long enough for a sync to start (changes during a push). */
const step = fc.record({
  command,
  pause: fc.nat(6).map((n) => n === 0),
});

/** The directory as the test tracks it, independent of Steward's loader and compute. */
interface ModelUser {
  id: number;
  username: string;
  state: 'active' | 'disabled';
  groups: Set<string>;
  attributes: Set<string>;
  external: { mode: 'explicit' | 'none'; principal: string | null } | undefined;
  members: Map<string, { role: string; expiry: Expiry }>;
}

/** The rows the model says the warehouse should hold: the reference rules, written out plainly. */
function expectedRows(users: readonly ModelUser[]): RowSets {
  const sets = {
    user_principals: new Set<string>(),
    user_groups: new Set<string>(),
    user_attributes: new Set<string>(),
    user_subscriptions: new Set<string>(),
    user_purposes: new Set<string>(),
  };
  for (const u of users) {
    if (u.state !== 'active' || u.external?.mode === 'none') continue;
    const principal = u.external?.principal ?? u.username;
    sets.user_principals.add(JSON.stringify([principal]));
    for (const g of u.groups) sets.user_groups.add(JSON.stringify([principal, g]));
    for (const a of u.attributes) sets.user_attributes.add(JSON.stringify([principal, ...JSON.parse(a)]));
    for (const [ds, m] of u.members) {
      if (m.role !== 'expert' && m.expiry !== 'past')
        sets.user_subscriptions.add(JSON.stringify([principal, ds]));
    }
  }
  return {
    user_principals: [...sets.user_principals].sort(),
    user_groups: [...sets.user_groups].sort(),
    user_attributes: [...sets.user_attributes].sort(),
    user_subscriptions: [...sets.user_subscriptions].sort(),
    user_purposes: [],
  };
}

/** Applies one change in its own transaction, as a people service does, marking entitlements changed. */
async function apply(
  db: Db,
  users: ModelUser[],
  groupIds: Map<string, number>,
  dataSources: readonly string[],
  cmd: Command,
): Promise<void> {
  if (cmd.kind === 'create') {
    if (users.some((u) => u.username.toLowerCase() === cmd.name.toLowerCase())) return;
    const row = await db
      .insertInto('users')
      .values({ username: cmd.name, name: null, email: null, state: 'active', permissions: [] })
      .returning('id')
      .executeTakeFirstOrThrow();
    users.push({
      id: row.id,
      username: cmd.name,
      state: 'active',
      groups: new Set(),
      attributes: new Set(),
      external: undefined,
      members: new Map(),
    });
    await markEntitlementsChanged(db);
    return;
  }
  const u = users[cmd.user % Math.max(1, users.length)];
  if (!u) return;
  switch (cmd.kind) {
    case 'join':
      await db
        .insertInto('group_members')
        .values({ group_id: groupIds.get(cmd.group)!, user_id: u.id })
        .onConflict((oc) => oc.doNothing())
        .execute();
      u.groups.add(cmd.group);
      break;
    case 'leave':
      await db
        .deleteFrom('group_members')
        .where('group_id', '=', groupIds.get(cmd.group)!)
        .where('user_id', '=', u.id)
        .execute();
      u.groups.delete(cmd.group);
      break;
    case 'setAttr':
      await db
        .insertInto('user_attributes')
        .values({ user_id: u.id, attribute_key: cmd.key, attribute_value: cmd.value })
        .onConflict((oc) => oc.doNothing())
        .execute();
      u.attributes.add(JSON.stringify([cmd.key, cmd.value]));
      break;
    case 'unsetAttr':
      await db
        .deleteFrom('user_attributes')
        .where('user_id', '=', u.id)
        .where('attribute_key', '=', cmd.key)
        .where('attribute_value', '=', cmd.value)
        .execute();
      u.attributes.delete(JSON.stringify([cmd.key, cmd.value]));
      break;
    case 'state':
      await db.updateTable('users').set({ state: cmd.state }).where('id', '=', u.id).execute();
      u.state = cmd.state;
      break;
    case 'external':
      if (cmd.mode === 'unset') {
        await db.deleteFrom('external_user_ids').where('user_id', '=', u.id).execute();
        u.external = undefined;
      } else {
        const mode = cmd.mode;
        const principal = mode === 'explicit' ? cmd.principal : null;
        await db
          .insertInto('external_user_ids')
          .values({ user_id: u.id, connection_key: 'wh', mode, principal })
          .onConflict((oc) => oc.columns(['user_id', 'connection_key']).doUpdateSet({ mode, principal }))
          .execute();
        u.external = { mode, principal };
      }
      break;
    case 'member': {
      const ds = dataSources[cmd.ds]!;
      const expiresAt =
        cmd.expiry === 'never'
          ? null
          : sql<Date>`now() + ${cmd.expiry === 'past' ? '-1 day' : '1 day'}::interval`;
      await db
        .insertInto('data_source_members')
        .values({ object_id: ds, user_id: u.id, role: cmd.role, expires_at: expiresAt })
        .onConflict((oc) =>
          oc.columns(['object_id', 'user_id']).doUpdateSet({ role: cmd.role, expires_at: expiresAt }),
        )
        .execute();
      u.members.set(ds, { role: cmd.role, expiry: cmd.expiry });
      break;
    }
    case 'unmember': {
      const ds = dataSources[cmd.ds]!;
      await db
        .deleteFrom('data_source_members')
        .where('object_id', '=', ds)
        .where('user_id', '=', u.id)
        .execute();
      u.members.delete(ds);
      break;
    }
  }
  await markEntitlementsChanged(db);
}

for (const kind of ['server', 'embedded'] as const) {
  describe(`entitlement sync to a real PostgreSQL (${kind === 'server' ? 'local server' : 'embedded PGlite'})`, () => {
    let wh: TestWarehouse;
    let t: TestApp;
    let reader: pg.Client;
    let dataSources: string[];
    before(async () => {
      wh = kind === 'server' ? await createServerWarehouse() : await createEmbeddedWarehouse();
      await wh.exec(
        `CREATE SCHEMA sales; ${TABLES.map((n) => `CREATE TABLE sales.${n} (id int);`).join(' ')}`,
      );
      t = await createTestApp({ platforms: platformsFor(wh) });
      const payload = { connectionKey: 'wh', connection: wh.connection, settings: { isActive: true } };
      const res = await t.app.inject({
        method: 'POST',
        url: '/data/connection',
        headers: { authorization: t.adminKey },
        payload,
      });
      assert.equal(res.statusCode, 200, res.body);
      const jobs = await runBulk(t.deps, res.json().bulkId);
      assert.deepEqual(
        jobs.map((j) => j.state),
        ['completed'],
      );
      const tables = await t.store.db
        .selectFrom('data_objects')
        .select(['id', 'name'])
        .where('connection_key', '=', 'wh')
        .where('kind', '=', 'table')
        .orderBy('name')
        .execute();
      dataSources = tables.map((r) => r.id);
      assert.equal(dataSources.length, TABLES.length);
      reader = await superuserClient(wh);
    });
    after(async () => {
      await reader?.end();
      await t?.close();
      await wh?.drop();
    });

    /** Runs the app's job kinds until no entitlement sync is due or running; fails on a failed sync. */
    async function settle(db: Db): Promise<void> {
      await waitFor(
        'entitlement syncs to finish',
        async () => {
          const { rows } = await sql<{ busy: number }>`
            SELECT count(*)::int AS busy FROM jobs
             WHERE type = ${ENTITLEMENT_SYNC_JOB_TYPE} AND state IN ('created', 'retry', 'active')
               AND run_after < now() + interval '1 hour'`.execute(db);
          return rows[0]!.busy === 0;
        },
        { timeoutMs: 30_000 },
      );
      const failed = await db
        .selectFrom('jobs')
        .select(['last_error'])
        .where('type', '=', ENTITLEMENT_SYNC_JOB_TYPE)
        .where('state', '=', 'failed')
        .execute();
      assert.deepEqual(failed, []);
    }

    it('holds exactly the rows the directory implies after any sequence of changes', async () => {
      const db = t.store.db;
      const runner = new JobRunner(db, t.deps.jobs.registry, t.deps, silentLogger(), {
        concurrency: 2,
        leaseMs: 10_000,
        pollMs: 1000,
        progressMs: 100,
      });
      const wake = withDebouncedWake(() => runner.wake());
      runner.start();
      try {
        await fc.assert(
          fc.asyncProperty(fc.array(step, { maxLength: 30 }), async (steps) => {
            // A fresh directory; the warehouse keeps the previous run's rows, which must go.
            await db.transaction().execute(async (trx) => {
              await trx.deleteFrom('users').where('username', '<>', 'admin').execute();
              await trx.deleteFrom('groups').execute();
              await markEntitlementsChanged(trx);
            });
            const inserted = await db
              .insertInto('groups')
              .values(GROUPS.map((name) => ({ name, description: null, external_id: null })))
              .returning(['id', 'name'])
              .execute();
            const groupIds = new Map(inserted.map((g) => [g.name, g.id]));
            const users: ModelUser[] = [];
            for (const { command: cmd, pause } of steps) {
              await db.transaction().execute((trx) => apply(trx, users, groupIds, dataSources, cmd));
              wake();
              if (pause) await sleep(250);
            }
            await settle(db);
            const admin = await db
              .selectFrom('users')
              .select('id')
              .where('username', '=', 'admin')
              .executeTakeFirstOrThrow();
            const expected = expectedRows([
              {
                id: admin.id,
                username: 'admin',
                state: 'active',
                groups: new Set(),
                attributes: new Set(),
                external: undefined,
                members: new Map(),
              },
              ...users,
            ]);
            const snapshot = await loadDirectory(db, 'wh');
            assert.deepEqual(rowSets(computeEntitlements(snapshot.directory, snapshot.at)), expected);
            assert.deepEqual(await readWarehouseRows(reader), expected);
            const state = await db
              .selectFrom('entitlement_sync')
              .selectAll()
              .where('connection_key', '=', 'wh')
              .executeTakeFirstOrThrow();
            assert.equal(state.last_error, null);
            assert.ok(
              state.pushed_at !== null && state.pushed_at >= state.changed_at,
              'pushed after the last change',
            );
          }),
          { numRuns: 15 },
        );
      } finally {
        await runner.stop(2000);
      }
    });

    it('records per-table results on the job and schedules a sync at the next expiry', async () => {
      const db = t.store.db;
      const jobs = await db
        .selectFrom('jobs')
        .selectAll()
        .where('type', '=', ENTITLEMENT_SYNC_JOB_TYPE)
        .where('state', '=', 'completed')
        .orderBy('completed_at', 'desc')
        .limit(1)
        .execute();
      const items = await db
        .selectFrom('job_items')
        .selectAll()
        .where('job_id', '=', jobs[0]!.id)
        .orderBy('item')
        .execute();
      assert.deepEqual(
        items.map((i) => [i.item, i.status]),
        [
          ['user_attributes', 'succeeded'],
          ['user_groups', 'succeeded'],
          ['user_principals', 'succeeded'],
          ['user_purposes', 'succeeded'],
          ['user_subscriptions', 'succeeded'],
        ],
      );
      assert.deepEqual(Object.keys(items[0]!.detail ?? {}).sort(), ['deleted', 'inserted', 'rows']);

      const bob = await db
        .insertInto('users')
        .values({ username: 'expiring', name: null, email: null, state: 'active', permissions: [] })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('data_source_members')
          .values({
            object_id: dataSources[0]!,
            user_id: bob.id,
            role: 'subscriber',
            expires_at: sql<Date>`now() + interval '2 seconds'`,
          })
          .execute();
        await markEntitlementsChanged(trx);
      });
      const runner = new JobRunner(db, t.deps.jobs.registry, t.deps, silentLogger(), {
        concurrency: 1,
        leaseMs: 10_000,
        pollMs: 50,
        progressMs: 100,
      });
      runner.start();
      try {
        const row = JSON.stringify(['expiring', dataSources[0]]);
        await waitFor('the subscription to arrive', async () =>
          (await readWarehouseRows(reader)).user_subscriptions.includes(row),
        );
        await waitFor(
          'the subscription to leave at its expiry, with no other change',
          async () => !(await readWarehouseRows(reader)).user_subscriptions.includes(row),
          { timeoutMs: 15_000 },
        );
      } finally {
        await runner.stop(2000);
      }
    });
  });
}
