import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../support/app.ts';
import { patchOp, scimClient, scimError, withoutMeta } from './support.ts';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** A create request as Okta's SCIM 2.0 app sends it (Okta SCIM 2.0 guide). */
function oktaUser(login: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: login,
    name: { givenName: 'Test', familyName: 'User' },
    emails: [{ primary: true, value: login, type: 'work' }],
    displayName: 'Test User',
    locale: 'en-US',
    externalId: '00ujl29u0le5T6Aj10h7',
    groups: [],
    password: '1mz050nq',
    active: true,
  };
}

/** A create request as Microsoft Entra ID sends it (Entra SCIM endpoint tutorial). */
function entraUser(userName: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
    userName,
    active: true,
    emails: [{ primary: true, type: 'work', value: `${userName}` }],
    meta: { resourceType: 'User' },
    name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    roles: [],
    [ENTERPRISE]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: '123' } },
    phoneNumbers: [{ type: 'mobile', value: '+1 555 0100' }],
    title: 'Tour Guide',
  };
}

describe('SCIM Users', () => {
  let t: TestApp;
  let scim: ReturnType<typeof scimClient>;
  before(async () => {
    t = await createTestApp();
    scim = scimClient(t);
  });
  after(async () => {
    await t.close();
  });

  describe('as Okta provisions', () => {
    it('answers the connection test and a lookup of an unknown user with an empty list', async () => {
      const probe = await scim.get('/Users?startIndex=1&count=2');
      assert.equal(probe.statusCode, 200);
      assert.equal(probe.headers['content-type'], 'application/scim+json; charset=utf-8');
      assert.deepEqual(probe.json().schemas, ['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
      const res = await scim.get(
        '/Users?filter=userName%20eq%20%22nobody%40example.com%22&startIndex=1&count=100',
      );
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 0,
        startIndex: 1,
        itemsPerPage: 0,
        Resources: [],
      });
    });

    it('creates a user: 201, Location, ETag and meta; the password is neither stored nor returned', async () => {
      const res = await scim.post('/Users', oktaUser('okta.user@example.com'));
      assert.equal(res.statusCode, 201, res.body);
      const user = res.json();
      assert.match(user.id, /^\d+$/);
      assert.equal(res.headers['location'], `http://localhost:80/scim/v2/Users/${user.id}`);
      assert.equal(res.headers['etag'], 'W/"1"');
      assert.deepEqual(user.meta, {
        resourceType: 'User',
        created: user.meta.created,
        lastModified: user.meta.lastModified,
        location: res.headers['location'],
        version: 'W/"1"',
      });
      assert.equal(user.userName, 'okta.user@example.com');
      assert.deepEqual(user.name, { givenName: 'Test', familyName: 'User' });
      assert.equal(user.active, true);
      assert.equal(user.locale, 'en-US');
      assert.equal(user.password, undefined);
      assert.ok(!res.body.includes('1mz050nq'));
      const row = await t.store.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', Number(user.id))
        .executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(row).includes('1mz050nq'), 'the password is not stored');
      assert.equal(row.source, 'scim');
      assert.equal(row.email, 'okta.user@example.com');
      assert.equal(row.external_id, '00ujl29u0le5T6Aj10h7');
      const events = await t.store.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'UserCreated')
        .execute();
      const event = events.find((e) => e.targets[0]?.id === user.id);
      assert.equal(event?.payload['via'], 'scim');
      assert.ok(!JSON.stringify(events).includes('1mz050nq'), 'nor audited');
    });

    it('finds the user by userName in any letter case, then replaces it with PUT', async () => {
      const found = await scim.get(
        '/Users?filter=userName%20eq%20%22OKTA.USER%40example.com%22&startIndex=1&count=100',
      );
      assert.equal(found.json().totalResults, 1);
      const user = found.json().Resources[0];
      const put = await scim.put(`/Users/${user.id}`, {
        ...oktaUser('okta.user@example.com'),
        id: user.id,
        name: { givenName: 'Changed', familyName: 'User' },
        emails: [{ primary: true, value: 'changed@example.com', type: 'work' }],
      });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(put.headers['etag'], 'W/"2"');
      assert.equal(put.json().name.givenName, 'Changed');
      const rest = await t.app.inject({ url: `/users/${user.id}`, headers: { authorization: t.adminKey } });
      assert.equal(rest.json().email, 'changed@example.com');
      assert.equal(rest.json().givenName, 'Changed');
    });

    it('deactivates with a path-less replace, which stops the user at once', async () => {
      const user = await t.userWith([], 'okta.leaver');
      const res = await scim.patch(`/Users/${user.id}`, patchOp({ op: 'replace', value: { active: false } }));
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().active, false);
      const me = await t.app.inject({ url: '/users/me', headers: { authorization: user.key } });
      assert.equal(me.statusCode, 401);
      const back = await scim.patch(`/Users/${user.id}`, patchOp({ op: 'replace', value: { active: true } }));
      assert.equal(back.json().active, true);
      assert.equal(
        (await t.app.inject({ url: '/users/me', headers: { authorization: user.key } })).statusCode,
        200,
      );
    });
  });

  describe('as Microsoft Entra ID provisions', () => {
    let id = '';
    it('creates a user with the enterprise extension and keeps the attributes Steward has no column for', async () => {
      const res = await scim.post('/Users', entraUser('Test_User_ab6490ee@testuser.com'));
      assert.equal(res.statusCode, 201, res.body);
      id = res.json().id;
      const got = await scim.get(`/Users/${id}`);
      const user = got.json();
      assert.deepEqual(user.schemas, ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE]);
      assert.deepEqual(user[ENTERPRISE], {
        employeeNumber: '701984',
        department: 'Tour Operations',
        manager: { value: '123' },
      });
      assert.deepEqual(user.phoneNumbers, [{ type: 'mobile', value: '+1 555 0100' }]);
      assert.equal(user.title, 'Tour Guide');
      assert.deepEqual(user.name, {
        formatted: 'givenName familyName',
        familyName: 'familyName',
        givenName: 'givenName',
      });
      assert.equal(user.roles, undefined, 'empty lists are not kept');
      assert.equal(got.headers['etag'], 'W/"1"');
    });

    it('refuses a duplicate userName with 409 uniqueness', async () => {
      const res = await scim.post('/Users', entraUser('test_user_AB6490EE@testuser.com'));
      assert.deepEqual(scimError(res), {
        status: 409,
        type: 'application/scim+json; charset=utf-8',
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        bodyStatus: '409',
        scimType: 'uniqueness',
      });
    });

    it('applies the PATCH quirks: capitalised ops, "False", email paths, flattened extension keys', async () => {
      const res = await scim.patch(
        `/Users/${id}`,
        patchOp(
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
          { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
          { op: 'Add', path: `${ENTERPRISE}:manager`, value: '456' },
          { op: 'Replace', value: { [`${ENTERPRISE}:department`]: 'Finance', displayName: 'Updated' } },
          { op: 'Replace', path: 'active', value: 'False' },
        ),
      );
      assert.equal(res.statusCode, 200, res.body);
      const user = res.json();
      assert.deepEqual(user.emails, [{ primary: true, type: 'work', value: 'updatedEmail@microsoft.com' }]);
      assert.equal(user.name.familyName, 'updatedFamilyName');
      assert.deepEqual(user[ENTERPRISE].manager, { value: '456' });
      assert.equal(user[ENTERPRISE].department, 'Finance');
      assert.equal(user.displayName, 'Updated');
      assert.equal(user.active, false);
      const filtered = await scim.get(
        `/Users?filter=${encodeURIComponent('userName eq "Test_User_ab6490ee@testuser.com"')}`,
      );
      assert.equal(filtered.json().Resources[0].active, false, 'a filter finds a disabled user, with active');
    });

    it('deletes with 204, after which the user is gone', async () => {
      const res = await scim.delete(`/Users/${id}`);
      assert.equal(res.statusCode, 204);
      assert.equal(res.body, '');
      const gone = await scim.get(`/Users/${id}`);
      assert.equal(scimError(gone).status, 404);
      assert.equal(gone.json().status, '404');
      assert.equal((await scim.delete(`/Users/${id}`)).statusCode, 404);
    });
  });

  describe('versions and If-Match', () => {
    it('answers 412 with a SCIM error for a stale ETag on PUT, PATCH and DELETE, and proceeds with the current one', async () => {
      const created = await scim.post('/Users', { userName: 'etag.user' });
      const id = created.json().id;
      const changed = await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: 'A' }));
      assert.equal(changed.headers['etag'], 'W/"2"');
      const stale = { 'if-match': 'W/"1"' };
      for (const res of [
        await scim.put(`/Users/${id}`, { userName: 'etag.user', title: 'B' }, stale),
        await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: 'B' }), stale),
        await scim.delete(`/Users/${id}`, stale),
      ]) {
        assert.equal(res.statusCode, 412, res.body);
        assert.equal(res.headers['content-type'], 'application/scim+json; charset=utf-8');
        assert.equal(res.json().status, '412');
      }
      assert.equal((await scim.get(`/Users/${id}`)).json().title, 'A', 'nothing changed');
      const current = await scim.patch(
        `/Users/${id}`,
        patchOp({ op: 'replace', path: 'title', value: 'B' }),
        {
          'if-match': 'W/"0", W/"2"',
        },
      );
      assert.equal(current.statusCode, 200);
      assert.equal(current.headers['etag'], 'W/"3"');
      const any = await scim.delete(`/Users/${id}`, { 'if-match': '*' });
      assert.equal(any.statusCode, 204);
    });

    it('leaves the same state and version when the same PATCH is applied three times', async () => {
      const id = (
        await scim.post('/Users', {
          userName: 'replay.user',
          emails: [{ value: 'r@example.com', type: 'work' }],
        })
      ).json().id;
      const patch = patchOp(
        { op: 'add', path: 'emails', value: [{ value: 'r2@example.com', type: 'home' }] },
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'r1@example.com' },
        { op: 'remove', path: 'phoneNumbers[type eq "fax"]' },
        { op: 'Replace', value: { active: 'False', 'name.givenName': 'Re' } },
      );
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await scim.patch(`/Users/${id}`, patch));
      assert.ok(results.every((r) => r.statusCode === 200));
      assert.deepEqual(withoutMeta(results[2]!), withoutMeta(results[0]!));
      assert.deepEqual(
        results.map((r) => r.headers['etag']),
        ['W/"2"', 'W/"2"', 'W/"2"'],
        'a replay is no change',
      );
      const updates = await t.store.db
        .selectFrom('audit_events')
        .select('id')
        .where('action', '=', 'UserUpdated')
        .where(sql<boolean>`${`user:${id}`} = ANY(target_ids)`)
        .execute();
      assert.equal(updates.length, 1, 'and records no event');
    });

    it('loses no change when PATCHes of one user arrive at once', async () => {
      const id = (await scim.post('/Users', { userName: 'concurrent.user' })).json().id;
      const numbers = Array.from({ length: 8 }, (_, i) => `+1 555 010${i}`);
      const results = await Promise.all(
        numbers.map((value) =>
          scim.patch(
            `/Users/${id}`,
            patchOp({ op: 'add', path: 'phoneNumbers', value: [{ value, type: 'work' }] }),
          ),
        ),
      );
      assert.ok(results.every((r) => r.statusCode === 200));
      const user = (await scim.get(`/Users/${id}`)).json();
      assert.deepEqual(user.phoneNumbers.map((p: { value: string }) => p.value).sort(), numbers);
      assert.equal(user.meta.version, `W/"${numbers.length + 1}"`);
    });

    it('reaches the same state whichever order two independent PATCHes arrive in', async () => {
      const a = patchOp(
        { op: 'add', path: 'emails', value: [{ value: 'a@example.com', type: 'other' }] },
        { op: 'replace', path: 'title', value: 'T' },
      );
      const b = patchOp(
        { op: 'replace', path: 'name.familyName', value: 'F' },
        { op: 'add', path: 'phoneNumbers', value: [{ value: '1', type: 'work' }] },
      );
      const one = (await scim.post('/Users', { userName: 'order.one' })).json().id;
      const two = (await scim.post('/Users', { userName: 'order.two' })).json().id;
      await scim.patch(`/Users/${one}`, a);
      await scim.patch(`/Users/${one}`, b);
      await scim.patch(`/Users/${two}`, b);
      await scim.patch(`/Users/${two}`, a);
      const strip = (r: Record<string, unknown>) => {
        const { id: _id, userName: _u, ...rest } = r;
        return rest;
      };
      assert.deepEqual(
        strip(withoutMeta(await scim.get(`/Users/${one}`))),
        strip(withoutMeta(await scim.get(`/Users/${two}`))),
      );
    });
  });

  describe('reads and lists', () => {
    it('pages with 1-based startIndex and count, and clamps out-of-range values', async () => {
      for (let i = 0; i < 5; i++) await scim.post('/Users', { userName: `page.${i}` });
      const filter = encodeURIComponent('userName sw "page."');
      const page = await scim.get(`/Users?filter=${filter}&startIndex=2&count=2`);
      assert.equal(page.json().totalResults, 5);
      assert.equal(page.json().startIndex, 2);
      assert.equal(page.json().itemsPerPage, 2);
      assert.deepEqual(
        page.json().Resources.map((r: { userName: string }) => r.userName),
        ['page.1', 'page.2'],
      );
      const countOnly = await scim.get(`/Users?filter=${filter}&count=0`);
      assert.deepEqual([countOnly.json().totalResults, countOnly.json().Resources], [5, []]);
      const clamped = await scim.get(`/Users?filter=${filter}&startIndex=0&count=-4`);
      assert.deepEqual([clamped.json().startIndex, clamped.json().itemsPerPage], [1, 0]);
      const past = await scim.get(`/Users?filter=${filter}&startIndex=50`);
      assert.deepEqual([past.json().totalResults, past.json().itemsPerPage], [5, 0]);
      const bad = await scim.get('/Users?count=many');
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().scimType, 'invalidValue');
    });

    it('returns only the requested attributes, or all but the excluded ones', async () => {
      const id = (await scim.post('/Users', entraUser('projection@example.com'))).json().id;
      const only = await scim.get(`/Users/${id}?attributes=userName,name.givenName,${ENTERPRISE}:department`);
      assert.deepEqual(only.json(), {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
        id,
        userName: 'projection@example.com',
        name: { givenName: 'givenName' },
        [ENTERPRISE]: { department: 'Tour Operations' },
      });
      const but = await scim.get(`/Users/${id}?excludedAttributes=emails,meta,${ENTERPRISE},id`);
      assert.equal(but.json().emails, undefined);
      assert.equal(but.json().meta, undefined);
      assert.equal(but.json()[ENTERPRISE], undefined);
      assert.equal(but.json().id, id, 'id is always returned');
      const list = await scim.get(
        `/Users?filter=${encodeURIComponent('userName eq "projection@example.com"')}&attributes=emails.value`,
      );
      assert.deepEqual(list.json().Resources[0].emails, [{ value: 'projection@example.com' }]);
    });

    it('shows the groups of a user, read-only', async () => {
      const id = (await scim.post('/Users', { userName: 'grouped' })).json().id;
      const group = (await scim.post('/Groups', { displayName: 'Readers', members: [{ value: id }] })).json();
      const user = (await scim.get(`/Users/${id}`)).json();
      assert.deepEqual(user.groups, [
        {
          value: group.id,
          $ref: `http://localhost:80/scim/v2/Groups/${group.id}`,
          display: 'Readers',
          type: 'direct',
        },
      ]);
      const change = await scim.patch(
        `/Users/${id}`,
        patchOp({ op: 'add', path: 'groups', value: [{ value: '1' }] }),
      );
      assert.equal(change.statusCode, 400);
      assert.equal(change.json().scimType, 'mutability');
      const put = await scim.put(`/Users/${id}`, { userName: 'grouped', groups: [] });
      assert.equal(put.statusCode, 200, 'groups sent on PUT are ignored');
      assert.equal(put.json().groups.length, 1);
    });

    it('answers 404 for ids Steward never issued', async () => {
      for (const id of ['abc', '999999', '1e3', '-1']) {
        const res = await scim.get(`/Users/${id}`);
        assert.equal(res.statusCode, 404, id);
        assert.equal(res.json().schemas[0], 'urn:ietf:params:scim:api:messages:2.0:Error');
      }
    });
  });

  describe('invalid requests', () => {
    it('names the offending attribute with scimType invalidValue', async () => {
      const missing = await scim.post('/Users', { displayName: 'No Name' });
      assert.equal(missing.statusCode, 400);
      assert.equal(missing.json().scimType, 'invalidValue');
      assert.match(missing.json().detail, /userName/);
      const badActive = await scim.post('/Users', { userName: 'x1', active: 'maybe' });
      assert.match(badActive.json().detail, /active/);
      const control = await scim.post('/Users', { userName: 'bell\u0007' });
      assert.equal(control.statusCode, 400);
      const badEmails = await scim.post('/Users', { userName: 'x2', emails: [{ value: { nested: true } }] });
      assert.equal(badEmails.statusCode, 400);
    });

    it('refuses a rename to a taken userName, and disabling your own user', async () => {
      const id = (await scim.post('/Users', { userName: 'renamer' })).json().id;
      const taken = await scim.patch(
        `/Users/${id}`,
        patchOp({ op: 'replace', path: 'userName', value: 'ADMIN' }),
      );
      assert.equal(taken.statusCode, 409);
      assert.equal(taken.json().scimType, 'uniqueness');
      const self = await scim.patch('/Users/1', patchOp({ op: 'replace', value: { active: false } }));
      assert.equal(self.statusCode, 409);
      assert.equal(self.json().code, 'USER_SELF_CHANGE');
    });

    it('answers PATCH errors with invalidPath, noTarget and mutability', async () => {
      const id = (await scim.post('/Users', { userName: 'patch.errors' })).json().id;
      const cases: Array<[unknown, string]> = [
        [{ op: 'add', path: 'shoeSize', value: 1 }, 'invalidPath'],
        [{ op: 'add', path: 'emails[type eq', value: 1 }, 'invalidPath'],
        [{ op: 'remove' }, 'noTarget'],
        [{ op: 'replace', path: 'emails[value co "zz"].type', value: 'x' }, 'noTarget'],
        [{ op: 'replace', path: 'id', value: '5' }, 'mutability'],
        [{ op: 'replace', path: 'meta', value: {} }, 'mutability'],
      ];
      for (const [op, scimType] of cases) {
        const res = await scim.patch(`/Users/${id}`, patchOp(op));
        assert.equal(res.statusCode, 400, JSON.stringify(op));
        assert.equal(res.json().scimType, scimType, JSON.stringify(op));
      }
      const noOps = await scim.patch(`/Users/${id}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      });
      assert.equal(noOps.statusCode, 400);
    });
  });
});
