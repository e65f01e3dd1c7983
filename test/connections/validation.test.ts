import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../support/app.ts';
import { assertNotStored } from '../support/plaintext.ts';
import {
  createEmbeddedWarehouse,
  createServerWarehouse,
  platformsFor,
  type TestWarehouse,
} from '../support/warehouse.ts';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('connection payload validation names the offending fields', () => {
  let wh: TestWarehouse;
  let t: TestApp;
  before(async () => {
    wh = await createEmbeddedWarehouse();
    t = await createTestApp({ platforms: platformsFor(wh) });
  });
  after(async () => {
    await t.close();
    await wh.drop();
  });

  const post = (url: string, payload: unknown) =>
    t.app.inject({ method: 'POST', url, headers: { authorization: t.adminKey }, payload: payload as object });
  const fields = (res: { json(): { errors?: Array<{ field: string }> } }) =>
    [...new Set((res.json().errors ?? []).map((e) => e.field))].sort();
  const base = () => ({ connectionKey: 'good-key_1', connection: { ...wh.connection } });

  it('refuses keys with other characters, reserved words in any case, and a taken key', async () => {
    for (const key of ['has space', 'dotted.key', 'slash/key', '', 'data', 'Search', 'UPGRADE']) {
      const res = await post('/data/connection/test', { ...base(), connectionKey: key });
      assert.equal(res.statusCode, 400, key);
      assert.deepEqual(fields(res), ['connectionKey'], key);
    }
    const first = await post('/data/connection', { ...base(), connectionKey: 'taken' });
    assert.equal(first.statusCode, 200, first.body);
    const again = await post('/data/connection', { ...base(), connectionKey: 'taken' });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'CONN_KEY_TAKEN');
    assert.deepEqual(fields(again), ['connectionKey']);
  });

  it('names an unknown technology, a missing credential, a wrong type and an unknown field', async () => {
    const tech = await post('/data/connection/test', {
      ...base(),
      connection: { ...wh.connection, technology: 'Oracle' },
    });
    assert.equal(tech.statusCode, 400);
    assert.deepEqual(fields(tech), ['connection.technology']);
    const { password: _p, ...noPassword } = wh.connection;
    const missing = await post('/data/connection/test', { ...base(), connection: noPassword });
    assert.deepEqual(fields(missing), ['connection.password']);
    assert.equal(missing.json().errors[0].detail, 'is required');
    const port = await post('/data/connection/test', {
      ...base(),
      connection: { ...wh.connection, port: '5432' },
    });
    assert.deepEqual(fields(port), ['connection.port']);
    const unknown = await post('/data/connection/test', {
      ...base(),
      connection: { ...wh.connection, sslmode: 'require' },
    });
    assert.deepEqual(fields(unknown), ['connection.sslmode']);
    const topLevel = await post('/data/connection/test', { ...base(), setting: {} });
    assert.deepEqual(fields(topLevel), ['setting']);
  });

  it('names both fields when values that must match differ', async () => {
    const native = {
      type: 'PostgreSQL',
      autoBootstrap: false,
      config: {
        host: 'elsewhere',
        port: 5432,
        database: wh.database,
        authenticationType: 'userPassword',
        username: wh.role,
        password: 'x',
      },
    };
    const res = await post('/data/connection/test', { ...base(), nativeIntegration: native });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(fields(res), ['connection.hostname', 'nativeIntegration.config.host']);
    const type = await post('/data/connection/test', {
      ...base(),
      nativeIntegration: { ...native, type: 'Databricks' },
    });
    assert.deepEqual(fields(type), ['connection.technology', 'nativeIntegration.type']);
    const nested = await post('/data/connection/test', {
      ...base(),
      nativeIntegration: { ...native, config: { ...native.config, schema: '1bad' } },
    });
    assert.deepEqual(fields(nested), ['nativeIntegration.config.schema']);
  });

  it('refuses a Steward schema other than the one of the setup script generated for the host', async () => {
    const script = await post('/integrations/scripts/create', {
      type: 'PostgreSQL',
      autoBootstrap: false,
      config: { host: 'embedded', port: 5432, database: wh.database, schema: 'steward' },
    });
    assert.equal(script.statusCode, 200, script.body);
    assert.match(script.json().script, /CREATE SCHEMA IF NOT EXISTS "steward"/);
    const native = {
      type: 'PostgreSQL',
      autoBootstrap: false,
      config: {
        host: 'embedded',
        port: 5432,
        database: wh.database,
        schema: 'other_schema',
        authenticationType: 'userPassword',
        username: wh.role,
        password: 'x',
      },
    };
    const res = await post('/data/connection/test', { ...base(), nativeIntegration: native });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(fields(res), ['nativeIntegration.config.schema']);
    assert.match(res.json().errors[0].detail, /setup script generated for this host \(steward\)/);
  });

  it('reports an unreachable host as a failed validation test, never a 500, and stores nothing on register', async () => {
    const port = await closedPort();
    const payload = { connectionKey: 'down', connection: { ...wh.connection, hostname: '127.0.0.1', port } };
    const res = await post('/data/connection/test', payload);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'failed');
    const [basic, credentials] = res.json().validationTests;
    assert.equal(basic.status, 'failed');
    assert.match(basic.result, new RegExp(`Could not reach 127.0.0.1:${port}: ECONNREFUSED`));
    assert.equal(credentials.status, 'skipped');
    const register = await post('/data/connection', payload);
    assert.equal(register.statusCode, 422);
    assert.equal(register.json().code, 'CONN_VALIDATION_FAILED');
    assert.equal(register.json().validationTests[0].status, 'failed');
    const stored = await t.store.db
      .selectFrom('connections')
      .select('connection_key')
      .where('connection_key', '=', 'down')
      .execute();
    assert.equal(stored.length, 0);
  });
});

describe('connection credentials against a PostgreSQL server', () => {
  let wh: TestWarehouse;
  let t: TestApp;
  before(async () => {
    wh = await createServerWarehouse();
    t = await createTestApp({ platforms: platformsFor(wh) });
  });
  after(async () => {
    await t.close();
    await wh.drop();
  });
  const as = { authorization: '' };

  it('reports unknown credentials as a failed Credentials test with a clear result', async () => {
    as.authorization = t.adminKey;
    const res = await t.app.inject({
      method: 'POST',
      url: '/data/connection/test',
      headers: as,
      payload: { connectionKey: 'k', connection: { ...wh.connection, username: 'no_such_role_x' } },
    });
    assert.equal(res.statusCode, 200);
    const tests = res.json().validationTests as Array<{ name: string; status: string; result: string }>;
    assert.deepEqual(
      tests.map((x) => x.status),
      ['passed', 'failed', 'skipped', 'skipped', 'skipped'],
    );
    assert.match(tests[1]!.result, /refused the credentials of no_such_role_x/);
    const db = await t.app.inject({
      method: 'POST',
      url: '/data/connection/test',
      headers: as,
      payload: { connectionKey: 'k', connection: { ...wh.connection, database: 'no_such_db_x' } },
    });
    assert.match(db.json().validationTests[1].result, /database no_such_db_x does not exist/);
  });

  it('never shows, logs, audits or stores the password in plaintext, and keeps it on [REDACTED] updates', async () => {
    const secret = 'canary-Pa55-word';
    await wh.exec(`ALTER ROLE "${wh.role}" PASSWORD '${secret}'`);
    const payload = { connectionKey: 'secret-test', connection: { ...wh.connection, password: secret } };
    const res = await t.app.inject({ method: 'POST', url: '/data/connection', headers: as, payload });
    assert.equal(res.statusCode, 200, res.body);
    const got = await t.app.inject({ url: '/data/connection/secret-test', headers: as });
    assert.equal(got.statusCode, 200);
    assert.equal(got.json().connection.password, '[REDACTED]');
    assert.equal(got.json().createdBy, 1);
    assert.equal(got.json().creator.name, 'admin');
    const put = await t.app.inject({
      method: 'PUT',
      url: '/data/connection/secret-test',
      headers: as,
      payload: { connection: { password: '[REDACTED]', port: 5432 }, settings: { isActive: false } },
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal(put.json().settings.isActive, false);
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/data/connection/secret-test',
      headers: as,
      payload: { connection: { database: 'no_such_db_y' } },
    });
    assert.equal(bad.statusCode, 422);
    const after = await t.app.inject({ url: '/data/connection/secret-test', headers: as });
    assert.equal(after.json().connection.database, wh.database, 'a failed update changes nothing');
    await assertNotStored(t.store.db, secret);
    assert.ok(!t.logs.join('').includes(secret), 'logs hold no password');
    for (const body of [res.body, got.body, put.body, bad.body]) assert.ok(!body.includes(secret));
  });
});
