import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ApiError } from '../../src/cli/api-error.ts';
import { CliError } from '../../src/cli/cli-error.ts';
import { ApiClient } from '../../src/cli/client.ts';
import { closedPortUrl } from './cli-harness.ts';

describe('API client', () => {
  let server: Server;
  let baseUrl = '';
  let seen: { url: string; headers: IncomingHttpHeaders } | undefined;

  before(async () => {
    server = createServer((req, res) => {
      seen = { url: req.url ?? '', headers: req.headers };
      if (req.url?.startsWith('/problem')) {
        res.writeHead(400, { 'content-type': 'application/problem+json' });
        res.end(
          JSON.stringify({
            status: 400,
            code: 'REQUEST_INVALID',
            detail: 'The request is invalid.',
            errors: [{ in: 'body', pointer: '#/name', field: 'name', detail: 'is required' }],
          }),
        );
      } else if (req.url?.startsWith('/html')) {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html>bad gateway</html>');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('sends the key as a bearer token and repeats array query parameters', async () => {
    const client = new ApiClient({ baseUrl, apiKey: 'stw_secret' });
    assert.deepEqual(await client.get('/ok', { state: ['created', 'failed'], size: 5, skip: undefined }), {
      ok: true,
    });
    assert.equal(seen?.headers.authorization, 'Bearer stw_secret');
    assert.equal(seen?.url, '/ok?state=created&state=failed&size=5');
  });

  test('turns a problem document into an ApiError with status, code, detail and fields', async () => {
    const error = await new ApiClient({ baseUrl, apiKey: 'stw_secret' }).post('/problem', {}).catch((e) => e);
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'REQUEST_INVALID');
    assert.equal(error.detail, 'The request is invalid.');
    assert.deepEqual(error.errors, [{ in: 'body', field: 'name', detail: 'is required' }]);
  });

  test('describes an error answer that is not a problem document by its HTTP status', async () => {
    const error = await new ApiClient({ baseUrl }).get('/html').catch((e) => e);
    assert.ok(error instanceof ApiError);
    assert.equal(error.detail, 'the server answered HTTP 502 Bad Gateway');
  });

  test('names the URL, and never the key, when the server cannot be reached', async () => {
    const nowhere = await closedPortUrl();
    const error = await new ApiClient({ baseUrl: nowhere, apiKey: 'stw_secret' })
      .get('/users/me')
      .catch((e) => e);
    assert.ok(error instanceof CliError);
    assert.equal(error.message, `cannot reach the Steward server at ${nowhere} (ECONNREFUSED)`);
    assert.ok(!error.message.includes('stw_secret'));
  });

  test('refuses a key with characters a header cannot carry, without echoing it', () => {
    assert.throws(
      () => new ApiClient({ baseUrl, apiKey: 'stw_se cret\n' }),
      (e: unknown) => e instanceof CliError && !e.message.includes('cret'),
    );
  });
});
