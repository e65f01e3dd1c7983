import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../../src/errors/index.ts';
import { oAuthM2MAuth } from '../../../src/platforms/databricks/auth.ts';
import { createDatabricksClient } from '../../../src/platforms/databricks/http.ts';
import { databricksSettings } from '../../../src/platforms/databricks/session.ts';
import { FakeDatabricks } from './fake-databricks.ts';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  connectionConfig,
  PAT,
  PRINCIPAL,
  seedWorkspace,
  testPlatform,
} from './payloads.ts';

const CATALOGS = '/api/2.1/unity-catalog/catalogs';
const ME = '/api/2.0/preview/scim/v2/Me';

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

function assertNoSecrets(error: AppError): void {
  const text = JSON.stringify({ detail: error.detail, message: error.message, extensions: error.extensions });
  for (const secret of [PAT, CLIENT_SECRET])
    assert.ok(!text.includes(secret), `a secret leaked into: ${text}`);
}

describe('Databricks REST client and auth (simulated Databricks REST server)', () => {
  let fake: FakeDatabricks;
  const platform = testPlatform();

  beforeEach(async () => {
    fake = await FakeDatabricks.start();
    seedWorkspace(fake);
  });
  afterEach(() => fake.close());

  it('sends the personal access token as a bearer token and learns the principal from SCIM Me', async () => {
    const session = await platform.connect(connectionConfig(fake, 'token'));
    assert.equal(session.principal, PRINCIPAL);
    assert.deepEqual(
      fake.requests.map((r) => [r.path, r.authorization]),
      [[ME, `Bearer ${PAT}`]],
    );
  });

  it('obtains an OAuth token with client credentials once and reuses it across calls', async () => {
    const session = await platform.connect(connectionConfig(fake, 'oAuthM2M'));
    await platform.listDatabases(session);
    await platform.listDatabases(session);
    assert.equal(fake.tokensIssued, 1);
    const tokenRequest = fake.requests.find((r) => r.path === '/oidc/v1/token')!;
    assert.equal(
      tokenRequest.authorization,
      `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
    );
    const bearers = new Set(
      fake.requests.filter((r) => r.path !== '/oidc/v1/token').map((r) => r.authorization),
    );
    assert.equal(bearers.size, 1);
    assert.match([...bearers][0]!, /^Bearer eyJ-/);
  });

  it('fetches a new OAuth token once the cached one is about to expire', async () => {
    fake.tokenLifetimeSeconds = 1;
    const session = await platform.connect(connectionConfig(fake, 'oAuthM2M'));
    await platform.listDatabases(session);
    assert.equal(fake.tokensIssued, 1);
    await sleep(1000);
    await platform.listDatabases(session);
    assert.equal(fake.tokensIssued, 2);
    assert.equal(fake.count(CATALOGS), 2, 'no request was refused on the way');
  });

  it('fetches a fresh OAuth token once when Databricks answers 401, then succeeds', async () => {
    const session = await platform.connect(connectionConfig(fake, 'oAuthM2M'));
    fake.revokeAccessTokens();
    assert.deepEqual(await platform.listDatabases(session), []);
    assert.equal(fake.tokensIssued, 2);
    assert.equal(fake.count(CATALOGS), 2);
  });

  it('gives up with PLATFORM_AUTH_FAILED when the fresh OAuth token is refused too', async () => {
    fake.inject({
      path: ME,
      status: 401,
      times: 5,
      body: { error_code: 'UNAUTHENTICATED', message: 'Token is not valid.' },
    });
    const error = await rejection(platform.connect(connectionConfig(fake, 'oAuthM2M')));
    assert.equal(error.code, 'PLATFORM_AUTH_FAILED');
    assert.equal(fake.tokensIssued, 2);
    assert.equal(fake.count(ME), 2);
  });

  it('retries 429 and 503 with backoff, honours Retry-After, and then succeeds', async () => {
    const session = await platform.connect(connectionConfig(fake, 'token'));
    fake.inject({
      path: CATALOGS,
      status: 429,
      times: 1,
      retryAfter: '1',
      body: { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' },
    });
    fake.inject({
      path: CATALOGS,
      status: 503,
      times: 2,
      body: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' },
    });
    const started = Date.now();
    assert.deepEqual(await platform.listDatabases(session), []);
    assert.ok(Date.now() - started >= 1000, 'waited for Retry-After');
    assert.equal(fake.count(CATALOGS), 4);
  });

  it('stops after five attempts with PLATFORM_THROTTLED, and at once when Retry-After is too long', async () => {
    const session = await platform.connect(connectionConfig(fake, 'token'));
    fake.inject({
      path: CATALOGS,
      status: 429,
      times: 10,
      retryAfter: '0',
      body: { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' },
    });
    const error = await rejection(platform.listDatabases(session));
    assert.equal(error.code, 'PLATFORM_THROTTLED');
    assert.equal(
      error.detail,
      'Databricks kept throttling GET /api/2.1/unity-catalog/catalogs (429 REQUEST_LIMIT_EXCEEDED: slow down).',
    );
    assert.equal(fake.count(CATALOGS), 5);
    fake.faults.length = 0;
    fake.inject({ path: CATALOGS, status: 429, times: 10, retryAfter: '3600' });
    assert.equal((await rejection(platform.listDatabases(session))).code, 'PLATFORM_THROTTLED');
    assert.equal(fake.count(CATALOGS), 6);
  });

  it('reports a wrong personal access token as PLATFORM_AUTH_FAILED without the token', async () => {
    const config = connectionConfig(fake, 'token', { connection: { token: 'dapiWRONGWRONGWRONG' } });
    const error = await rejection(platform.connect(config));
    assert.equal(error.code, 'PLATFORM_AUTH_FAILED');
    assert.equal(
      error.detail,
      'Databricks refused the personal access token (401 UNAUTHENTICATED: Invalid access token.).',
    );
    assert.ok(!error.detail.includes('dapiWRONG'));
  });

  it('reports a wrong client secret as PLATFORM_AUTH_FAILED naming the client, not the secret', async () => {
    const config = connectionConfig(fake, 'oAuthM2M', {
      connection: { oAuthClientConfig: { clientId: CLIENT_ID, clientSecret: 'not-the-secret' } },
    });
    const error = await rejection(platform.connect(config));
    assert.equal(error.code, 'PLATFORM_AUTH_FAILED');
    assert.equal(
      error.detail,
      `The OAuth token endpoint http://127.0.0.1:${fake.port}/oidc/v1/token refused client ${CLIENT_ID} (401 invalid_client: Client authentication failed).`,
    );
    assert.ok(!error.detail.includes('not-the-secret'));
  });

  it('reports 403 as PLATFORM_FORBIDDEN with the Databricks error code, scrubbing secrets echoed back', async () => {
    const session = await platform.connect(connectionConfig(fake, 'token'));
    fake.inject({
      path: CATALOGS,
      status: 403,
      times: 1,
      body: {
        error_code: 'PERMISSION_DENIED',
        message: `Token ${PAT} lacks USE CATALOG; client_secret=${CLIENT_SECRET}`,
      },
    });
    const error = await rejection(platform.listDatabases(session));
    assert.equal(error.code, 'PLATFORM_FORBIDDEN');
    assert.match(
      error.detail,
      /^Databricks denied GET \/api\/2\.1\/unity-catalog\/catalogs \(403 PERMISSION_DENIED: Token \[REDACTED\] lacks USE CATALOG/,
    );
    assert.deepEqual(error.extensions, { platformStatus: 403, platformErrorCode: 'PERMISSION_DENIED' });
    assertNoSecrets(error);
  });

  it('reports a closed port as PLATFORM_UNREACHABLE: connection refused', async () => {
    const port = fake.port;
    await fake.close();
    const error = await rejection(platform.connect(connectionConfig(fake, 'token')));
    assert.equal(error.code, 'PLATFORM_UNREACHABLE');
    assert.equal(error.detail, `Could not reach http://127.0.0.1:${port}: connection refused.`);
    fake = await FakeDatabricks.start();
  });

  it('finds the token endpoint of an authority URL by discovery, and uses a /token URL as it is', async () => {
    const settings = databricksSettings({ scheme: 'http' });
    const base = {
      useCertificate: false,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      scope: 'all-apis',
    };
    const options = {
      transport: settings.transport,
      defaultTokenEndpoint: 'http://unused.invalid/token',
      allowHttp: true,
      now: Date.now,
    };
    const discovered = oAuthM2MAuth({ ...base, authorityUrl: `http://127.0.0.1:${fake.port}/oidc` }, options);
    assert.match(await discovered.authorization(), /^Bearer eyJ-/);
    const direct = oAuthM2MAuth(
      { ...base, authorityUrl: `http://127.0.0.1:${fake.port}/oidc/v1/token` },
      options,
    );
    assert.match(await direct.authorization(), /^Bearer eyJ-/);
    assert.equal(fake.tokensIssued, 2);
    assert.equal(fake.count('/oidc/.well-known/openid-configuration'), 1, 'tried OpenID discovery first');
  });

  it('refuses to follow a link off the workspace', async () => {
    const settings = databricksSettings({ scheme: 'http' });
    const client = createDatabricksClient(
      `http://127.0.0.1:${fake.port}`,
      {
        description: 'x',
        refreshable: false,
        authorization: async () => `Bearer ${PAT}`,
        invalidate: () => {},
        secrets: () => [PAT],
      },
      settings.transport,
    );
    const error = await rejection(client.get('http://evil.example.com/api/2.0/steal'));
    assert.equal(error.code, 'PLATFORM_ERROR');
    assert.equal(fake.requests.length, 0);
  });
});

describe('Databricks request timeout (simulated silent server)', () => {
  let silent: Server;
  before(async () => {
    silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('gives up on a request that gets no answer within the timeout', async () => {
    const platform = testPlatform({ requestTimeoutMs: 300 });
    const port = (silent.address() as AddressInfo).port;
    const fakeLike = { port } as FakeDatabricks;
    const error = await rejection(platform.connect(connectionConfig(fakeLike, 'token')));
    assert.equal(error.code, 'PLATFORM_UNREACHABLE');
    assert.equal(error.detail, `Could not reach http://127.0.0.1:${port}: no answer within 300 ms.`);
  });
});
