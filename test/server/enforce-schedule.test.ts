import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { resolveServerConfig } from '../../src/config.ts';
import { POLICY_ENFORCE_JOB_TYPE } from '../../src/policy/request-enforcement.ts';
import { BOOTSTRAP_KEY_FILE, startServer } from '../../src/server/start.ts';
import { createEmbeddedWarehouse, platformsFor } from '../support/warehouse.ts';

describe('the enforcement schedule', () => {
  it('checks every connection again each STEWARD_ENFORCE_INTERVAL seconds, without waiting for a change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-enforce-'));
    const wh = await createEmbeddedWarehouse();
    const config = resolveServerConfig(
      { port: '0', host: '127.0.0.1', dataDir: dir },
      { STEWARD_DEMO: 'false', STEWARD_ENFORCE_INTERVAL: '1', STEWARD_SYNC_INTERVAL: '0' },
    );
    assert.equal(config.enforceIntervalSeconds, 1);
    const server = await startServer(config, {
      logger: pino({ level: 'silent' }),
      announce: () => {},
      platforms: platformsFor(wh),
      runner: { pollMs: 50 },
    });
    try {
      const key = readFileSync(join(dir, BOOTSTRAP_KEY_FILE), 'utf8').trim();
      const res = await fetch(`${server.url}/data/connection`, {
        method: 'POST',
        headers: { authorization: key, 'content-type': 'application/json' },
        body: JSON.stringify({ connectionKey: 'scheduled', connection: wh.connection }),
      });
      assert.equal(res.status, 200, await res.text());
      const count = async () =>
        (
          await server.deps.store.db
            .selectFrom('jobs')
            .select('id')
            .where('type', '=', POLICY_ENFORCE_JOB_TYPE)
            .where('state', '=', 'completed')
            .execute()
        ).length;
      const deadline = Date.now() + 15_000;
      while ((await count()) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.ok(
        (await count()) >= 3,
        'after the sync that follows registration, the schedule keeps checking',
      );
    } finally {
      await server.close();
      await wh.drop();
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(resolveServerConfig({}, {}).enforceIntervalSeconds, 300, 'five minutes by default');
    assert.throws(
      () => resolveServerConfig({}, { STEWARD_ENFORCE_INTERVAL: '-1' }),
      /STEWARD_ENFORCE_INTERVAL/,
    );
  });
});
