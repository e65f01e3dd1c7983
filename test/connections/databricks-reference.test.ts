import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPlatformRegistry } from '../../src/platforms/registry.ts';
import { FakeDatabricks } from '../platforms/databricks/fake-databricks.ts';
import { CLIENT_ID, CLIENT_SECRET, PAT, seedWorkspace } from '../platforms/databricks/payloads.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { runBulk } from '../support/jobs.ts';
import { assertNotStored } from '../support/plaintext.ts';

/**
 * The requests of the reference page "Register a Databricks Unity Catalog Connection", sent as its
 * curl examples send them (bare token in Authorization, JSON bodies), with the placeholders filled in,
 * against a simulated Databricks workspace.
 */
describe('the reference registration page, request by request (simulated Databricks REST server)', () => {
  let fake: FakeDatabricks;
  let t: TestApp;
  const headers = () => ({
    accept: 'application/json',
    'content-type': 'application/json',
    authorization: t.adminKey,
  });
  const host = () => '127.0.0.1';
  before(async () => {
    fake = await FakeDatabricks.start();
    seedWorkspace(fake);
    fake.addCatalog('sales');
    fake.addSchema('sales', 'crm');
    fake.addTable('sales', 'crm', {
      name: 'customers',
      table_type: 'MANAGED',
      comment: 'Customers',
      columns: [
        { name: 'id', type_text: 'bigint', type_name: 'LONG', position: 0, nullable: false },
        { name: 'email', type_text: 'string', type_name: 'STRING', position: 1, comment: 'Work email' },
      ],
    });
    fake.addTable('sales', 'crm', {
      name: 'orders',
      table_type: 'EXTERNAL',
      columns: [{ name: 'amount', type_text: 'decimal(10,2)', type_name: 'DECIMAL', position: 0 }],
    });
    t = await createTestApp({
      platforms: createPlatformRegistry({
        databricks: {
          scheme: 'http',
          baseDelayMs: 5,
          maxDelayMs: 200,
          pollIntervalMs: 5,
          requestTimeoutMs: 5000,
        },
      }),
    });
  });
  after(async () => {
    await t?.close();
    await fake?.close();
  });

  const tokenConnection = () => ({
    connectionKey: 'dbx-token',
    connection: {
      technology: 'Databricks',
      hostname: host(),
      port: fake.port,
      httpPath: '/sql/1.0/warehouses/wh1',
      authenticationType: 'token',
      token: PAT,
    },
    settings: { isActive: false },
    options: { forceRecursiveCrawl: true },
    nativeIntegration: {
      type: 'Databricks',
      autoBootstrap: false,
      unityCatalog: true,
      config: {
        authenticationType: 'token',
        token: PAT,
        host: host(),
        port: fake.port,
        catalog: 'steward',
        audit: { enabled: true },
        workspaceIds: ['1234567890123456'],
        enableNativeQueryParsing: false,
        groupPattern: { deny: 'steward-exempt' },
        jobConfig: { workspaceDirectoryPath: '/Workspace/ImmutaArtifacts', jobClusterId: 'undefined' },
      },
    },
  });

  it('step 3: POST /integrations/scripts/create returns the setup script, with no secret in it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/integrations/scripts/create',
      headers: headers(),
      payload: {
        type: 'Databricks',
        autoBootstrap: false,
        config: {
          workspaceUrl: host(),
          httpPath: '/sql/1.0/warehouses/wh1',
          authenticationType: 'token',
          token: PAT,
          catalog: 'steward',
          audit: { enabled: true },
        },
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    const script: string = res.json().script;
    assert.match(script, /CREATE CATALOG IF NOT EXISTS `steward`/);
    assert.match(script, /GRANT SELECT ON TABLE `system`\.`access`\.`audit`/);
    assert.ok(!script.includes(PAT), 'the script holds no token');
    const text = await t.app.inject({
      method: 'POST',
      url: '/integrations/scripts/create',
      headers: { ...headers(), accept: 'text/plain' },
      payload: {
        type: 'Databricks',
        autoBootstrap: false,
        config: {
          workspaceUrl: host(),
          httpPath: '/sql/1.0/warehouses/wh1',
          authenticationType: 'token',
          token: PAT,
          catalog: 'steward',
        },
      },
    });
    assert.equal(text.statusCode, 200);
    assert.match(String(text.headers['content-type']), /^text\/plain/);
    assert.ok(text.body.startsWith('--'), 'a plain script, ready to paste');
  });

  it('step 5, test run: POST /data/connection/test passes every validation test', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/data/connection/test',
      headers: headers(),
      payload: tokenConnection(),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'passed', res.body);
    assert.equal(res.json().validationTests.length, 6);
  });

  it('step 5: POST /data/connection answers {objectPath, bulkId} and the sync crawls Unity Catalog', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/data/connection',
      headers: headers(),
      payload: tokenConnection(),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(Object.keys(res.json()).sort(), ['bulkId', 'objectPath']);
    assert.deepEqual(res.json().objectPath, ['dbx-token']);
    const jobs = await runBulk(t.deps, res.json().bulkId);
    assert.deepEqual(
      jobs.map((j) => j.state),
      ['completed'],
      JSON.stringify(jobs.map((j) => j.last_error)),
    );
    const catalogs = await t.app.inject({
      method: 'POST',
      url: '/data/object/search/dbx-token',
      headers: headers(),
      payload: {},
    });
    assert.deepEqual(
      catalogs.json().objects.map((o: { name: string }) => o.name),
      ['sales'],
      'the Steward, system and samples catalogs are not crawled',
    );
    const customers = await t.app.inject({
      url: '/data/object/dbx-token/sales/crm/customers',
      headers: headers(),
    });
    assert.equal(customers.statusCode, 200, customers.body);
    assert.equal(customers.json().state, 'inactive', 'settings.isActive false: new objects start inactive');
    assert.deepEqual(
      customers
        .json()
        .columns.map((c: { name: string; dataType: string; remoteType: string }) => [
          c.name,
          c.dataType,
          c.remoteType,
        ]),
      [
        ['id', 'integer', 'bigint'],
        ['email', 'text', 'string'],
      ],
    );
  });

  it('shows the connection with every secret as [REDACTED], and keeps them out of the store and the audit', async () => {
    const res = await t.app.inject({ url: '/data/connection/dbx-token', headers: headers() });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().connection.token, '[REDACTED]');
    assert.equal(res.json().nativeIntegration.config.token, '[REDACTED]');
    assert.equal(res.json().connection.port, fake.port);
    await assertNotStored(t.store.db, PAT);
    assert.ok(!t.logs.join('').includes(PAT));
  });

  it('registers with OAuth machine-to-machine credentials, the port defaulting to 443 when not given', async () => {
    const payload = tokenConnection();
    // The simulated workspace serves the default token endpoint (https://<host>/oidc/v1/token in production).
    const oauth = {
      useCertificate: false,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      scope: 'all-apis',
    };
    const body = {
      ...payload,
      connectionKey: 'dbx-oauth',
      connection: {
        ...payload.connection,
        authenticationType: 'oAuthM2M',
        token: undefined,
        oAuthClientConfig: oauth,
      },
      nativeIntegration: {
        ...payload.nativeIntegration,
        config: {
          ...payload.nativeIntegration.config,
          authenticationType: 'oAuthM2M',
          token: undefined,
          oAuthClientConfig: oauth,
        },
      },
    };
    const res = await t.app.inject({
      method: 'POST',
      url: '/data/connection/test',
      headers: headers(),
      payload: body,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'passed', res.body);
    const registered = await t.app.inject({
      method: 'POST',
      url: '/data/connection',
      headers: headers(),
      payload: body,
    });
    assert.equal(registered.statusCode, 200, registered.body);
    const [job] = await runBulk(t.deps, registered.json().bulkId);
    assert.equal(job!.state, 'completed', job!.last_error ?? '');
    assert.ok(fake.tokensIssued >= 1, 'an OAuth access token was obtained');
    const shown = await t.app.inject({ url: '/data/connection/dbx-oauth', headers: headers() });
    assert.equal(shown.json().connection.oAuthClientConfig.clientSecret, '[REDACTED]');
    assert.equal(shown.json().nativeIntegration.config.oAuthClientConfig.clientSecret, '[REDACTED]');
    assert.equal(
      shown.json().connection.oAuthClientConfig.clientId,
      CLIENT_ID,
      'the client id is not a secret',
    );
    await assertNotStored(t.store.db, CLIENT_SECRET);
    assert.ok(!t.logs.join('').includes(CLIENT_SECRET));
    const { port: _port, ...noPort } = body.connection;
    const defaulted = await t.app.inject({
      method: 'POST',
      url: '/data/connection/test',
      headers: headers(),
      payload: { ...body, connection: noPort },
    });
    assert.equal(
      defaulted.statusCode,
      400,
      'port 443 is assumed, so it no longer matches nativeIntegration.config.port',
    );
    assert.deepEqual(
      defaulted
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
      ['connection.port', 'nativeIntegration.config.port'],
    );
  });

  it('names both fields when hostname and host, or the authentication types, differ', async () => {
    const payload = tokenConnection();
    const res = await t.app.inject({
      method: 'POST',
      url: '/data/connection',
      headers: headers(),
      payload: {
        ...payload,
        connectionKey: 'mismatch',
        nativeIntegration: {
          ...payload.nativeIntegration,
          config: { ...payload.nativeIntegration.config, host: 'other.cloud.databricks.com' },
        },
      },
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
      ['connection.hostname', 'nativeIntegration.config.host'],
    );
  });

  it('refuses a catalog other than the one of the generated script, naming the field', async () => {
    const payload = tokenConnection();
    const res = await t.app.inject({
      method: 'POST',
      url: '/data/connection/test',
      headers: headers(),
      payload: {
        ...payload,
        nativeIntegration: {
          ...payload.nativeIntegration,
          config: { ...payload.nativeIntegration.config, catalog: 'other_catalog' },
        },
      },
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.deepEqual(
      res.json().errors.map((e: { field: string }) => e.field),
      ['nativeIntegration.config.catalog'],
    );
  });

  it('disables the data source of a table dropped between two syncs (simulated Databricks REST server)', async () => {
    await t.app.inject({
      method: 'PUT',
      url: '/data/settings/dbx-token/sales',
      headers: headers(),
      payload: { settings: { isActive: true } },
    });
    fake.dropTable('sales', 'crm', 'orders');
    const crawl = await t.app.inject({ method: 'POST', url: '/data/crawl/dbx-token', headers: headers() });
    const [job] = await runBulk(t.deps, crawl.json().bulkId);
    assert.equal(job!.state, 'completed', job!.last_error ?? '');
    const orders = await t.app.inject({ url: '/data/object/dbx-token/sales/crm/orders', headers: headers() });
    assert.equal(orders.json().remoteStatus, 'dropped');
    assert.equal(orders.json().dataSourceId, null);
    const customers = await t.app.inject({
      url: '/data/object/dbx-token/sales/crm/customers',
      headers: headers(),
    });
    assert.equal(customers.json().state, 'active');
    assert.notEqual(customers.json().dataSourceId, null);
  });

  it('gives the removal script of the registered integration', async () => {
    const conn = await t.app.inject({ url: '/data/connection/dbx-token', headers: headers() });
    const res = await t.app.inject({
      method: 'POST',
      url: `/integrations/${conn.json().nativeIntegrationId}/scripts/delete`,
      headers: headers(),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.json().script, /DROP CATALOG IF EXISTS `steward` CASCADE/);
  });
});
