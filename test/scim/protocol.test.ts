import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../support/app.ts';
import { scimClient } from './support.ts';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const SCIM_TYPE = 'application/scim+json; charset=utf-8';

describe('SCIM protocol', () => {
  let t: TestApp;
  let scim: ReturnType<typeof scimClient>;
  before(async () => {
    t = await createTestApp();
    scim = scimClient(t);
  });
  after(async () => {
    await t.close();
  });

  it('describes itself: ServiceProviderConfig, ResourceTypes and Schemas', async () => {
    const spc = await scim.get('/ServiceProviderConfig');
    assert.equal(spc.statusCode, 200);
    assert.equal(spc.headers['content-type'], SCIM_TYPE);
    const config = spc.json();
    assert.deepEqual(
      [
        config.patch.supported,
        config.filter.supported,
        config.etag.supported,
        config.bulk.supported,
        config.sort.supported,
      ],
      [true, true, true, false, false],
    );
    assert.equal(config.filter.maxResults, 1000);
    assert.equal(config.authenticationSchemes[0].type, 'oauthbearertoken');
    const types = (await scim.get('/ResourceTypes')).json();
    assert.deepEqual(
      types.Resources.map((r: { id: string; endpoint: string }) => [r.id, r.endpoint]),
      [
        ['User', '/Users'],
        ['Group', '/Groups'],
      ],
    );
    assert.equal((await scim.get('/ResourceTypes/User')).json().schemaExtensions[0].required, false);
    const schemas = (await scim.get('/Schemas')).json();
    assert.deepEqual(
      schemas.Resources.map((s: { id: string }) => s.id),
      [
        'urn:ietf:params:scim:schemas:core:2.0:User',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
        'urn:ietf:params:scim:schemas:core:2.0:Group',
      ],
    );
    const user = (await scim.get('/Schemas/urn:ietf:params:scim:schemas:core:2.0:User')).json();
    const userName = user.attributes.find((a: { name: string }) => a.name === 'userName');
    assert.deepEqual([userName.required, userName.uniqueness, userName.caseExact], [true, 'server', false]);
    const emails = user.attributes.find((a: { name: string }) => a.name === 'emails');
    assert.deepEqual(
      emails.subAttributes.map((a: { name: string }) => a.name),
      ['value', 'display', 'type', 'primary'],
    );
    const password = user.attributes.find((a: { name: string }) => a.name === 'password');
    assert.deepEqual([password.mutability, password.returned], ['writeOnly', 'never']);
    assert.equal((await scim.get('/Schemas/urn:nope')).statusCode, 404);
  });

  it('answers 401 and 403 as SCIM errors, with WWW-Authenticate on 401', async () => {
    const none = await t.app.inject({ url: '/scim/v2/Users' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.headers['content-type'], SCIM_TYPE);
    assert.match(String(none.headers['www-authenticate']), /^Bearer /);
    assert.deepEqual([none.json().schemas, none.json().status], [[ERROR], '401']);
    const weak = await t.userWith(['GOVERNANCE', 'APPLICATION_ADMIN']);
    const forbidden = await scimClient(t, weak.key).post('/Users', { userName: 'nope' });
    assert.equal(forbidden.statusCode, 403);
    assert.equal(forbidden.headers['content-type'], SCIM_TYPE);
    assert.deepEqual([forbidden.json().schemas, forbidden.json().status], [[ERROR], '403']);
    assert.match(forbidden.json().detail, /USER_ADMIN/);
    const denied = await t.store.db
      .selectFrom('audit_events')
      .select('action')
      .where('request_id', '=', forbidden.json().requestId)
      .execute();
    assert.deepEqual(denied, [{ action: 'AuthorizationDenied' }]);
  });

  it('accepts application/scim+json and application/json bodies, and refuses malformed ones as invalidSyntax', async () => {
    const asJson = await t.app.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { authorization: t.adminKey, 'content-type': 'application/json' },
      payload: JSON.stringify({ userName: 'plain.json' }),
    });
    assert.equal(asJson.statusCode, 201);
    const charset = await t.app.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { authorization: t.adminKey, 'content-type': 'application/scim+json; charset=utf-8' },
      payload: JSON.stringify({ userName: 'charset.json' }),
    });
    assert.equal(charset.statusCode, 201);
    for (const payload of [
      '{"userName": ',
      '{"__proto__": {"admin": true}, "userName": "p"}',
      '{"userName": "c", "constructor": {"prototype": {"admin": true}}}',
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/scim/v2/Users',
        headers: { authorization: t.adminKey, 'content-type': 'application/scim+json' },
        payload,
      });
      assert.equal(res.statusCode, 400, payload);
      assert.equal(res.headers['content-type'], SCIM_TYPE);
      assert.equal(res.json().scimType, 'invalidSyntax');
    }
    const text = await t.app.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { authorization: t.adminKey, 'content-type': 'text/plain' },
      payload: 'userName=x',
    });
    assert.equal(text.statusCode, 415);
    assert.equal(text.json().schemas[0], ERROR);
  });

  it('answers unknown SCIM endpoints with a SCIM 404', async () => {
    const res = await scim.get('/Widgets');
    assert.equal(res.statusCode, 404);
    assert.equal(res.headers['content-type'], SCIM_TYPE);
    assert.equal(res.json().status, '404');
  });

  it('audits a failed SCIM change as a failure of its action', async () => {
    await scim.post('/Users', { userName: 'twice' });
    const res = await scim.post('/Users', { userName: 'TWICE' });
    assert.equal(res.statusCode, 409);
    const events = await t.store.db
      .selectFrom('audit_events')
      .select(['action', 'action_status', 'payload'])
      .where('request_id', '=', res.json().requestId)
      .execute();
    assert.deepEqual(events, [
      {
        action: 'UserCreated',
        action_status: 'failure',
        payload: { code: 'USER_TAKEN', status: 409, route: '/scim/v2/Users' },
      },
    ]);
  });

  it('lists the SCIM routes in the OpenAPI document with SCIM error responses', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json();
    const op = doc.paths['/scim/v2/Users/{id}'].patch;
    assert.ok(op, 'PATCH /scim/v2/Users/{id} is documented');
    assert.match(
      JSON.stringify(op.responses['412']),
      /ScimError|urn:ietf:params:scim:api:messages:2.0:Error/,
    );
  });
});
