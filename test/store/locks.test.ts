import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lockDataDir } from '../../src/store/data-dir-lock.ts';
import { isMigrated, migrate } from '../../src/store/migrate.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { openStore } from '../../src/store/open-store.ts';
import { createServerStore } from '../support/store.ts';

describe('migration lock on the PostgreSQL server', () => {
  it('applies each migration exactly once when two pools migrate a fresh database at once', async () => {
    const fresh = await createServerStore({ migrated: false });
    const other = await openStore({ kind: 'postgres', url: fresh.url!, poolSize: 2 });
    try {
      assert.equal(await isMigrated(fresh.db), false);
      const [a, b] = await Promise.all([migrate(fresh.db), migrate(other.db)]);
      assert.deepEqual(
        [...a.applied, ...b.applied].sort(),
        MIGRATIONS.map((m) => m.version),
      );
      const rows = await fresh.db.selectFrom('steward_migrations').select('version').execute();
      assert.deepEqual(
        rows.map((r) => r.version).sort(),
        MIGRATIONS.map((m) => m.version),
      );
    } finally {
      await other.close();
      await fresh.close();
    }
  });
});

describe('data directory lock', () => {
  it('refuses a second owner while the first holds the lock', () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-lock-'));
    try {
      const lock = lockDataDir(dir);
      assert.throws(() => lockDataDir(dir), /in use by another Steward process \(pid \d+\)/);
      lock.release();
      const again = lockDataDir(dir);
      again.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-lock-'));
    try {
      const child = spawn(process.execPath, ['-e', '0']);
      const pid = child.pid!;
      await new Promise((resolve) => child.on('exit', resolve));
      writeFileSync(
        join(dir, 'steward.lock'),
        JSON.stringify({ pid, host: (await import('node:os')).hostname() }),
      );
      const lock = lockDataDir(dir);
      assert.equal(JSON.parse(readFileSync(lock.path, 'utf8')).pid, process.pid);
      lock.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
