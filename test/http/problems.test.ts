import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ERROR_CATALOG, problemType } from '../../src/errors/index.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const PROBLEM = 'application/problem+json; charset=utf-8';

/** Asserts a response is a well-formed RFC 9457 problem of the given code and returns its body. */
function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
  code: string,
) {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.headers['content-type'], PROBLEM);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  assert.equal(body['status'], status);
  assert.equal(body['code'], code);
  assert.equal(body['type'], problemType(code as keyof typeof ERROR_CATALOG));
  assert.equal(body['title'], ERROR_CATALOG[code as keyof typeof ERROR_CATALOG].title);
  assert.equal(typeof body['detail'], 'string');
  assert.ok(!/\n\s+at /.test(res.body), 'no stack trace');
  assert.ok(!/\b(SELECT|INSERT|UPDATE)\b.*\b(FROM|INTO|SET)\b/i.test(res.body), 'no SQL text');
  return body as {
    detail: string;
    errors?: Array<{ in: string; pointer: string; field: string; detail: string }>;
  };
}

describe('errors leave as application/problem+json naming the offending field', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ api: { bodyLimit: 2048 } });
  });
  after(async () => {
    await t.close();
  });

  const post = (url: string, payload: string, contentType = 'application/json') =>
    t.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { authorization: t.adminKey, 'content-type': contentType },
    });

  it('rejects malformed JSON with 400 and where it failed', async () => {
    const body = expectProblem(await post('/users', '{"username": "a",'), 400, 'REQUEST_MALFORMED');
    assert.match(body.detail, /not valid JSON/);
  });

  it('rejects malformed YAML with 400 and the line', async () => {
    const body = expectProblem(
      await post('/users', 'username: [unclosed\nname: x', 'application/yaml'),
      400,
      'REQUEST_MALFORMED',
    );
    assert.match(body.detail, /not valid YAML \(line \d+, column \d+\)/);
  });

  it('accepts a YAML body as the reference API does', async () => {
    const res = await post(
      '/users',
      'username: yaml-user\nname: From YAML\npermissions:\n  - AUDIT\n',
      'application/yaml',
    );
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json().permissions, ['AUDIT']);
  });

  it('names a field of the wrong type', async () => {
    const body = expectProblem(
      await post('/users', JSON.stringify({ username: 42 })),
      400,
      'REQUEST_INVALID',
    );
    assert.deepEqual(
      body.errors?.map((e) => [e.in, e.pointer, e.field]),
      [['body', '#/username', 'username']],
    );
  });

  it('names a missing field', async () => {
    const body = expectProblem(
      await post('/users', JSON.stringify({ name: 'no username' })),
      400,
      'REQUEST_INVALID',
    );
    assert.deepEqual(body.errors, [
      { in: 'body', pointer: '#/username', field: 'username', detail: 'is required' },
    ]);
  });

  it('names each unknown field, nested ones by their full path', async () => {
    const body = expectProblem(
      await post('/users', JSON.stringify({ username: 'u', colour: 'red', extra: 1 })),
      400,
      'REQUEST_INVALID',
    );
    assert.deepEqual(body.errors?.map((e) => e.field).sort(), ['colour', 'extra']);
    const nested = expectProblem(
      await post('/jobs/statuses', JSON.stringify({ jobIds: ['not-a-uuid'], wait: 'soon' })),
      400,
      'REQUEST_INVALID',
    );
    assert.deepEqual(nested.errors?.map((e) => e.pointer).sort(), ['#/jobIds/0', '#/wait']);
  });

  it('names invalid query and path parameters', async () => {
    const query = expectProblem(
      await t.app.inject({ url: '/audit?size=0&colour=red', headers: { authorization: t.adminKey } }),
      400,
      'REQUEST_INVALID',
    );
    assert.deepEqual(query.errors?.map((e) => [e.in, e.field]).sort(), [
      ['query', 'colour'],
      ['query', 'size'],
    ]);
    const params = expectProblem(
      await t.app.inject({ url: '/jobs/nope', headers: { authorization: t.adminKey } }),
      400,
      'REQUEST_INVALID',
    );
    assert.deepEqual(
      params.errors?.map((e) => [e.in, e.field]),
      [['params', 'id']],
    );
  });

  it('requires a body where the route takes one', async () => {
    const body = expectProblem(
      await t.app.inject({ method: 'POST', url: '/users', headers: { authorization: t.adminKey } }),
      400,
      'REQUEST_INVALID',
    );
    assert.match(body.detail, /body is required/);
  });

  it('refuses prototype-polluting keys', async () => {
    expectProblem(
      await post('/users', '{"username":"p","__proto__":{"admin":true}}'),
      400,
      'REQUEST_MALFORMED',
    );
  });

  it('answers 413 for a body over the configured limit', async () => {
    expectProblem(
      await post('/users', JSON.stringify({ username: 'x'.repeat(4096) })),
      413,
      'REQUEST_TOO_LARGE',
    );
  });

  it('answers 415 for a body of an unsupported media type', async () => {
    expectProblem(
      await post('/users', 'username=form', 'application/x-www-form-urlencoded'),
      415,
      'REQUEST_UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('answers 404 for an unknown route, without needing a key', async () => {
    const body = expectProblem(await t.app.inject({ url: '/no/such/route?x=1' }), 404, 'ROUTE_NOT_FOUND');
    assert.equal(body.detail, 'There is no route GET /no/such/route.');
  });

  it('answers 404 for an unknown resource and 409 for a taken username', async () => {
    expectProblem(
      await t.app.inject({ url: '/users/999999', headers: { authorization: t.adminKey } }),
      404,
      'USER_NOT_FOUND',
    );
    await post('/users', JSON.stringify({ username: 'taken' }));
    const body = expectProblem(
      await post('/users', JSON.stringify({ username: 'taken' })),
      409,
      'USER_TAKEN',
    );
    assert.deepEqual(
      body.errors?.map((e) => e.field),
      ['username'],
    );
  });

  it('echoes the request id it was given, or makes one', async () => {
    const given = await t.app.inject({ url: '/nope', headers: { 'x-request-id': 'trace-123' } });
    assert.equal(given.headers['x-request-id'], 'trace-123');
    assert.equal(given.json().requestId, 'trace-123');
    const made = await t.app.inject({ url: '/nope', headers: { 'x-request-id': 'bad id with spaces' } });
    assert.match(String(made.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  it('hides internal failures behind a generic 500 or 503 without causes', async () => {
    const broken = await createTestApp();
    await broken.store.close();
    const res = await broken.app.inject({ url: '/users/me', headers: { authorization: broken.adminKey } });
    assert.ok(res.statusCode === 500 || res.statusCode === 503, res.body);
    const body = JSON.parse(res.body) as { detail: string };
    assert.ok(!/pglite|pool|kysely|driver/i.test(body.detail), body.detail);
    assert.equal(res.headers['content-type'], PROBLEM);
    await broken.app.close();
  });
});
