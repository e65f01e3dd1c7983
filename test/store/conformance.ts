import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { isMigrated, migrate, migrationChecksum } from '../../src/store/migrate.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import type { TestStore } from '../support/store.ts';

/**
 * The metadata store conformance suite: every back end (embedded PGlite, PostgreSQL server) must pass
 * it unchanged. Each back end's test file only opens a store and calls this.
 */
export function storeConformance(name: string, open: () => Promise<TestStore>): void {
  describe(`metadata store conformance: ${name}`, () => {
    let store: TestStore;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
    });

    it('reports every known migration as applied', async () => {
      assert.equal(await isMigrated(store.db), true);
      const rows = await store.db.selectFrom('steward_migrations').selectAll().orderBy('version').execute();
      assert.deepEqual(
        rows.map((r) => [r.version, r.checksum]),
        MIGRATIONS.map((m) => [m.version, migrationChecksum(m)]),
      );
    });

    it('applies nothing when migrated twice, even concurrently', async () => {
      const results = await Promise.all([migrate(store.db), migrate(store.db)]);
      assert.deepEqual(
        results.map((r) => r.applied),
        [[], []],
      );
    });

    it('refuses to run against a store whose applied migration was edited', async () => {
      const edited = MIGRATIONS.map((m) => (m.version === 1 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
      await assert.rejects(migrate(store.db, edited), /differs from the one applied/);
    });

    it('refuses to run against a store migrated by a newer version', async () => {
      await assert.rejects(migrate(store.db, []), /migrated by a newer version/);
    });

    it('rolls back every write of a failed transaction', async () => {
      await assert.rejects(
        store.db.transaction().execute(async (trx) => {
          await trx.insertInto('steward_settings').values({ key: 'rollback-probe', value: '1' }).execute();
          throw new Error('abort');
        }),
        /abort/,
      );
      const row = await store.db
        .selectFrom('steward_settings')
        .select('key')
        .where('key', '=', 'rollback-probe')
        .executeTakeFirst();
      assert.equal(row, undefined);
    });

    it('keeps audit events append-only: update, delete and truncate are refused', async () => {
      await store.db
        .insertInto('audit_events')
        .values({
          id: '00000000-0000-4000-8000-000000000001',
          actor: JSON.stringify({ type: 'SYSTEM_ACTOR' }),
          actor_id: null,
          action: 'Probe',
          action_status: 'success',
          target_type: null,
          targets: '[]',
          target_ids: [],
          payload: '{}',
          request_id: null,
          actor_ip: null,
        })
        .execute();
      await assert.rejects(
        store.db.updateTable('audit_events').set({ action: 'Tampered' }).execute(),
        /append-only/,
      );
      await assert.rejects(store.db.deleteFrom('audit_events').execute(), /append-only/);
      await assert.rejects(sql`TRUNCATE audit_events`.execute(store.db), /append-only/);
      const count = await store.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('action', '=', 'Probe')
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1);
    });

    it('round-trips the column types the services rely on', async () => {
      const user = await store.db
        .insertInto('users')
        .values({
          username: 'types-probe',
          name: "Zoë “quotes” 'single'",
          email: null,
          state: 'active',
          permissions: ['AUDIT', 'GOVERNANCE'],
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      assert.ok(user.created_at instanceof Date);
      assert.deepEqual(user.permissions, ['AUDIT', 'GOVERNANCE']);
      assert.equal(user.name, "Zoë “quotes” 'single'");
      const key = await store.db
        .insertInto('api_keys')
        .values({
          user_id: user.id,
          name: 'k',
          prefix: 'stw_x',
          hash: Buffer.from([0, 1, 2, 255]),
          expires_at: null,
          revoked_at: null,
          last_used_at: null,
        })
        .returning('hash')
        .executeTakeFirstOrThrow();
      assert.ok(Buffer.isBuffer(key.hash));
      assert.deepEqual([...key.hash], [0, 1, 2, 255]);
      await store.db
        .insertInto('steward_settings')
        .values({ key: 'json-probe', value: JSON.stringify({ nested: [1, 'two', null, { three: true }] }) })
        .execute();
      const setting = await store.db
        .selectFrom('steward_settings')
        .select('value')
        .where('key', '=', 'json-probe')
        .executeTakeFirstOrThrow();
      assert.deepEqual(setting.value, { nested: [1, 'two', null, { three: true }] });
    });

    it('accepts the FOR UPDATE SKIP LOCKED claim shape the job queue uses', async () => {
      await store.db
        .insertInto('steward_settings')
        .values([
          { key: 'lock-a', value: '1' },
          { key: 'lock-b', value: '2' },
        ])
        .execute();
      const claimed = await store.db.transaction().execute(async (trx) => {
        const first = await sql<{ key: string }>`SELECT key FROM steward_settings WHERE key LIKE 'lock-%'
          ORDER BY key LIMIT 1 FOR UPDATE SKIP LOCKED`.execute(trx);
        const second = await sql<{ key: string }>`SELECT key FROM steward_settings WHERE key LIKE 'lock-%'
          ORDER BY key FOR UPDATE SKIP LOCKED`.execute(trx);
        return [first.rows.map((r) => r.key), second.rows.map((r) => r.key)];
      });
      // The same transaction sees its own locks; the statement shape must be accepted by both back ends.
      assert.deepEqual(claimed, [['lock-a'], ['lock-a', 'lock-b']]);
    });
  });
}
