import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { resolveServerConfig } from '../../src/config.ts';
import { BOOTSTRAP_KEY_FILE, startServer } from '../../src/server/start.ts';

const silent = pino({ level: 'silent' });

describe('starting the server on an embedded store', () => {
  let dir: string;
  const announced: string[] = [];
  const config = () => resolveServerConfig({ port: '0', host: '127.0.0.1', dataDir: dir }, {});
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'steward-start-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the bootstrap admin on first start, announces its key once and keeps it owner-only', async () => {
    const server = await startServer(config(), { logger: silent, announce: (m) => announced.push(m) });
    try {
      const file = join(dir, BOOTSTRAP_KEY_FILE);
      const key = readFileSync(file, 'utf8').trim();
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, 'secret.key')).mode & 0o777, 0o600);
      assert.equal(announced.length, 1);
      assert.ok(announced[0]!.includes(key));
      const ready = await fetch(`${server.url}/ready`);
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: 'ready', store: 'embedded' });
      const me = await fetch(`${server.url}/users/me`, { headers: { authorization: key } });
      const profile = (await me.json()) as { username: string; permissions: string[] };
      assert.equal(profile.username, 'admin');
      assert.equal(profile.permissions.length, 8);
      // The demo warehouse is registered as connection demo on the first start, and crawled.
      const deadline = Date.now() + 60_000;
      let customers: Response | undefined;
      while (Date.now() < deadline) {
        customers = await fetch(`${server.url}/data/object/demo/demo/sales/customers`, {
          headers: { authorization: key },
        });
        if (customers.status === 200) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(customers?.status, 200);
      const table = (await customers!.json()) as {
        state: string;
        dataSourceId: string | null;
        columns: Array<{ name: string }>;
      };
      assert.equal(table.state, 'active');
      assert.notEqual(table.dataSourceId, null);
      assert.ok(table.columns.some((c) => c.name === 'ssn_or_national_id'));
      const hr = await fetch(`${server.url}/data/object/search/demo/demo/hr`, {
        method: 'POST',
        headers: { authorization: key, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.deepEqual(
        ((await hr.json()) as { objects: Array<{ name: string }> }).objects.map((o) => o.name),
        ['departments', 'employees'],
      );
    } finally {
      await server.close();
    }
    assert.equal(existsSync(join(dir, 'steward.lock')), false, 'the lock is released on close');
  });

  it('does not announce a key again on later starts', async () => {
    const server = await startServer(config(), { logger: silent, announce: (m) => announced.push(m) });
    await server.close();
    assert.equal(announced.length, 1);
  });

  it('refuses to start with a secret key other than the one the store was written with', async () => {
    const wrong = resolveServerConfig(
      { port: '0', host: '127.0.0.1', dataDir: dir },
      { STEWARD_SECRET_KEY: randomBytes(32).toString('base64') },
    );
    await assert.rejects(
      startServer(wrong, { logger: silent, announce: () => {} }),
      /not in the configured keyring/,
    );
    assert.equal(existsSync(join(dir, 'steward.lock')), false, 'a failed start releases the lock');
  });

  it('refuses a second process on the same data directory', async () => {
    const server = await startServer(config(), { logger: silent, announce: () => {} });
    try {
      await assert.rejects(
        startServer(config(), { logger: silent, announce: () => {} }),
        /in use by another Steward process/,
      );
    } finally {
      await server.close();
    }
  });

  it('rejects bad configuration values with the variable named', () => {
    assert.throws(
      () => resolveServerConfig({ port: 'eighty' }, {}),
      /--port \/ STEWARD_PORT must be an integer/,
    );
    assert.throws(() => resolveServerConfig({}, { STEWARD_WORKERS: '-1' }), /STEWARD_WORKERS/);
    assert.equal(resolveServerConfig({}, { STEWARD_PORT: '9999' }).port, 9999);
    assert.equal(resolveServerConfig({ port: '7000' }, { STEWARD_PORT: '9999' }).port, 7000);
    assert.equal(resolveServerConfig({}, {}).port, 8080);
  });
});

describe('the steward server process', () => {
  it('serves /ready and shuts down cleanly on SIGTERM, releasing its data directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-proc-'));
    const child = spawn(
      process.execPath,
      ['bin/steward.mjs', 'server', '--port', '0', '--host', '127.0.0.1', '--data-dir', dir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, STEWARD_DEMO: 'false' },
      },
    );
    try {
      let out = '';
      child.stdout.on('data', (c) => {
        out += String(c);
      });
      child.stderr.on('data', (c) => {
        out += String(c);
      });
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line in 60 s:\n${out}`)), 60_000);
        child.stdout.on('data', () => {
          const m = /"url":"(http:\/\/[^"]+)".*"msg":"steward is listening"/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      assert.equal((await fetch(`${url}/ready`)).status, 200);
      const key = readFileSync(join(dir, BOOTSTRAP_KEY_FILE), 'utf8').trim();
      const logLines = out.split('\n').filter((l) => l.startsWith('{'));
      assert.ok(
        logLines.length > 0 && logLines.every((l) => !l.includes(key)),
        'structured logs never hold the key',
      );
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(code, 0);
      assert.match(out, /"msg":"steward stopped"/);
      assert.equal(existsSync(join(dir, 'steward.lock')), false);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
