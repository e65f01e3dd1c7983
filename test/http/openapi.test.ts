import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../support/app.ts';

type Operation = {
  security?: unknown[];
  description?: string;
  responses: Record<string, unknown>;
  requestBody?: unknown;
};

describe('the OpenAPI document and interactive docs', () => {
  let t: TestApp;
  let doc: {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    components: Record<string, unknown>;
  };
  before(async () => {
    t = await createTestApp();
    const res = await t.app.inject({ url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    doc = res.json();
  });
  after(async () => {
    await t.close();
  });

  it('is OpenAPI 3.1 and describes every route with its access rule', () => {
    assert.equal(doc.openapi, '3.1.0');
    for (const route of t.app.routeTable) {
      if (route.url === '/openapi.json') continue;
      const path = route.url.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{objectPath}');
      const op = doc.paths[path]?.[route.method.toLowerCase()];
      assert.ok(op, `${route.method} ${path} is documented`);
      if (route.auth === 'public') {
        assert.deepEqual(op.security, [], `${path} needs no key`);
      } else if (route.auth === 'authenticated') {
        assert.match(op.description ?? '', /Any valid API key/);
      } else {
        for (const p of route.auth.anyOf) assert.match(op.description ?? '', new RegExp(p));
      }
      for (const status of ['400', '401', '403', '404', '500'])
        assert.ok(op.responses[status], `${path} documents ${status}`);
    }
  });

  it('documents request bodies from the same schemas that validate them', () => {
    const createUser = doc.paths['/users']?.['post'];
    const schema = JSON.stringify(createUser?.requestBody);
    assert.match(schema, /"username"/);
    assert.match(schema, /"additionalProperties":false/);
    assert.match(schema, /APPLICATION_ADMIN/);
  });

  it('serves interactive docs at /docs', async () => {
    const res = await t.app.inject({ url: '/docs/' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    assert.match(res.body, /swagger/i);
  });
});
