import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addConnection, changeMarks } from '../people/support.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { patchOp, scimClient } from './support.ts';

describe('SCIM Groups', () => {
  let t: TestApp;
  let scim: ReturnType<typeof scimClient>;
  const users: string[] = [];
  before(async () => {
    t = await createTestApp();
    scim = scimClient(t);
    await addConnection(t.store.db, 'warehouse');
    for (const name of ['ga', 'gb', 'gc', 'gd'])
      users.push((await scim.post('/Users', { userName: name })).json().id);
  });
  after(async () => {
    await t.close();
  });

  const memberIds = async (id: string) =>
    ((await scim.get(`/Groups/${id}`)).json().members ?? []).map((m: { value: string }) => m.value).sort();
  const a = () => users[0]!;
  const b = () => users[1]!;
  const c = () => users[2]!;
  const d = () => users[3]!;

  it('creates a group with members, as Entra does, and lists it without members for Okta', async () => {
    const res = await scim.post('/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Group1DisplayName',
      members: [{ value: a() }, { value: b(), display: 'ignored' }],
    });
    assert.equal(res.statusCode, 201, res.body);
    const group = res.json();
    assert.equal(res.headers['location'], `http://localhost:80/scim/v2/Groups/${group.id}`);
    assert.equal(res.headers['etag'], 'W/"1"');
    assert.equal(group.externalId, '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159');
    assert.deepEqual(
      group.members.map((m: { value: string; display: string; type: string }) => [
        m.value,
        m.display,
        m.type,
      ]),
      [
        [a(), 'ga', 'User'],
        [b(), 'gb', 'User'],
      ],
    );
    const list = await scim.get(
      `/Groups?filter=${encodeURIComponent('displayName eq "group1displayname"')}&excludedAttributes=members&startIndex=1&count=100`,
    );
    assert.equal(list.json().totalResults, 1);
    assert.equal(list.json().Resources[0].members, undefined);
    const rest = await t.app.inject({ url: `/groups/${group.id}`, headers: { authorization: t.adminKey } });
    assert.deepEqual([rest.json().source, rest.json().memberCount], ['scim', 2]);
  });

  it('renames with a path-less replace that repeats the id (Okta) and answers 204 with the new ETag', async () => {
    const group = (await scim.post('/Groups', { displayName: 'Okta Group' })).json();
    const res = await scim.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'replace', value: { id: group.id, displayName: 'Okta Group Renamed' } }),
    );
    assert.equal(res.statusCode, 204, res.body);
    assert.equal(res.headers['etag'], 'W/"2"');
    assert.equal((await scim.get(`/Groups/${group.id}`)).json().displayName, 'Okta Group Renamed');
    const asked = await scim.patch(
      `/Groups/${group.id}?excludedAttributes=members`,
      patchOp({ op: 'replace', path: 'displayName', value: 'Asked' }),
    );
    assert.equal(asked.statusCode, 200);
    assert.equal(asked.json().displayName, 'Asked');
  });

  it('adds and removes members in the forms Okta and Entra send, telling entitlement sync', async () => {
    const id = (await scim.post('/Groups', { displayName: 'Members' })).json().id;
    const marks = await changeMarks(t.store.db);
    await scim.patch(
      `/Groups/${id}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: a(), display: 'ga' }, { value: b() }] }),
    );
    assert.deepEqual(await memberIds(id), [a(), b()].sort());
    assert.ok((await changeMarks(t.store.db)).get('warehouse')! > (marks.get('warehouse') ?? new Date(0)));
    await scim.patch(`/Groups/${id}`, patchOp({ op: 'remove', path: `members[value eq "${a()}"]` }));
    assert.deepEqual(await memberIds(id), [b()]);
    await scim.patch(
      `/Groups/${id}`,
      patchOp({ op: 'Add', path: 'members', value: [{ $ref: null, value: c() }] }),
    );
    await scim.patch(
      `/Groups/${id}`,
      patchOp({ op: 'Remove', path: 'members', value: [{ $ref: null, value: b() }] }),
    );
    assert.deepEqual(await memberIds(id), [c()]);
    await scim.patch(
      `/Groups/${id}`,
      patchOp({ op: 'replace', path: 'members', value: [{ value: a() }, { value: d() }] }),
    );
    assert.deepEqual(await memberIds(id), [a(), d()].sort());
    const user = (await scim.get(`/Users/${a()}`)).json();
    assert.ok(
      user.groups.some((g: { value: string }) => g.value === id),
      'the user shows the group',
    );
    await scim.patch(`/Groups/${id}`, patchOp({ op: 'remove', path: 'members' }));
    assert.deepEqual(await memberIds(id), []);
    const events = await t.store.db
      .selectFrom('audit_events')
      .select(['action', 'payload'])
      .where('action', '=', 'GroupUpdated')
      .orderBy('seq')
      .execute();
    const last = events.at(-1)!;
    assert.deepEqual(
      [last.payload['via'], last.payload['membersRemoved']],
      ['scim', [a(), d()].map(Number).sort((x, y) => x - y)],
    );
  });

  it('leaves the same members and version when a membership PATCH is replayed three times', async () => {
    const id = (await scim.post('/Groups', { displayName: 'Replay', members: [{ value: c() }] })).json().id;
    const patch = patchOp(
      { op: 'add', path: 'members', value: [{ value: a() }, { value: b() }] },
      { op: 'remove', path: `members[value eq "${c()}"]` },
    );
    const etags = [];
    for (let i = 0; i < 3; i++) {
      const res = await scim.patch(`/Groups/${id}`, patch);
      assert.equal(res.statusCode, 204, res.body);
      etags.push(res.headers['etag']);
    }
    assert.deepEqual(etags, ['W/"2"', 'W/"2"', 'W/"2"']);
    assert.deepEqual(await memberIds(id), [a(), b()].sort());
  });

  it('reaches the same members whichever order two independent PATCHes arrive in', async () => {
    const first = patchOp({ op: 'add', path: 'members', value: [{ value: a() }] });
    const second = patchOp(
      { op: 'add', path: 'members', value: [{ value: b() }] },
      { op: 'remove', path: `members[value eq "${c()}"]` },
    );
    const one = (
      await scim.post('/Groups', { displayName: 'Order 1', members: [{ value: c() }, { value: d() }] })
    ).json().id;
    const two = (
      await scim.post('/Groups', { displayName: 'Order 2', members: [{ value: c() }, { value: d() }] })
    ).json().id;
    await scim.patch(`/Groups/${one}`, first);
    await scim.patch(`/Groups/${one}`, second);
    await scim.patch(`/Groups/${two}`, second);
    await scim.patch(`/Groups/${two}`, first);
    assert.deepEqual(await memberIds(one), await memberIds(two));
    assert.deepEqual(await memberIds(one), [a(), b(), d()].sort());
  });

  it('replaces name and members with PUT, and keeps members when PUT lists none', async () => {
    const id = (await scim.post('/Groups', { displayName: 'Put', members: [{ value: a() }] })).json().id;
    const res = await scim.put(`/Groups/${id}`, {
      displayName: 'Put Renamed',
      members: [{ value: b() }, { value: c() }],
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().displayName, 'Put Renamed');
    assert.deepEqual(await memberIds(id), [b(), c()].sort());
    await scim.put(`/Groups/${id}`, { displayName: 'Put Renamed' });
    assert.deepEqual(await memberIds(id), [b(), c()].sort());
  });

  it('answers 400 for members that are not users, 409 for a taken name, 412 for a stale ETag', async () => {
    const id = (await scim.post('/Groups', { displayName: 'Strict' })).json().id;
    const unknown = await scim.patch(
      `/Groups/${id}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: '999999' }] }),
    );
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().scimType, 'invalidValue');
    const nested = await scim.post('/Groups', {
      displayName: 'Nested',
      members: [{ value: id, type: 'Group' }],
    });
    assert.equal(nested.statusCode, 400);
    const taken = await scim.post('/Groups', { displayName: 'STRICT' });
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.json().scimType, 'uniqueness');
    const stale = await scim.patch(
      `/Groups/${id}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: a() }] }),
      {
        'if-match': 'W/"7"',
      },
    );
    assert.equal(stale.statusCode, 412);
    assert.deepEqual(await memberIds(id), []);
    const noName = await scim.post('/Groups', { members: [] });
    assert.equal(noName.statusCode, 400);
  });

  it('deletes a group with 204; its members stay users', async () => {
    const id = (await scim.post('/Groups', { displayName: 'Temporary', members: [{ value: a() }] })).json()
      .id;
    const res = await scim.delete(`/Groups/${id}`);
    assert.equal(res.statusCode, 204);
    assert.equal((await scim.get(`/Groups/${id}`)).statusCode, 404);
    assert.equal((await scim.get(`/Users/${a()}`)).statusCode, 200);
  });
});
