import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addConnection, caller, changeMarks, eventsOf, insertUser } from './support.ts';

describe('groups: REST', () => {
  let t: TestApp;
  let admin: ReturnType<typeof caller>;
  before(async () => {
    t = await createTestApp();
    admin = caller(t, t.adminKey);
    await addConnection(t.store.db, 'warehouse');
  });
  after(async () => {
    await t.close();
  });

  it('creates, reads, renames and deletes a group, auditing each change', async () => {
    const created = await admin({
      method: 'POST',
      url: '/groups',
      payload: { name: ' Finance ', description: 'Money' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const group = created.json();
    assert.equal(group.name, 'Finance', 'surrounding spaces are trimmed');
    assert.equal(group.memberCount, 0);
    assert.equal(group.source, 'bim');
    assert.equal((await eventsOf(t, created))[0]?.action, 'GroupCreated');
    const renamed = await admin({
      method: 'PUT',
      url: `/groups/${group.id}`,
      payload: { name: 'Finance EU' },
    });
    assert.equal(renamed.json().name, 'Finance EU');
    assert.equal(renamed.json().version, group.version + 1);
    assert.equal(renamed.json().description, 'Money', 'absent fields stay');
    const [event] = await eventsOf(t, renamed);
    assert.deepEqual(event?.payload, {
      via: 'api',
      changes: { name: { before: 'Finance', after: 'Finance EU' } },
    });
    assert.equal((await admin({ url: `/groups/${group.id}` })).json().name, 'Finance EU');
    const deleted = await admin({ method: 'DELETE', url: `/groups/${group.id}` });
    assert.equal(deleted.statusCode, 200);
    assert.equal((await eventsOf(t, deleted))[0]?.action, 'GroupDeleted');
    const gone = await admin({ url: `/groups/${group.id}` });
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().code, 'GROUP_NOT_FOUND');
  });

  it('refuses a name taken in another letter case, on create and rename', async () => {
    await admin({ method: 'POST', url: '/groups', payload: { name: 'Privacy' } });
    const dup = await admin({ method: 'POST', url: '/groups', payload: { name: 'PRIVACY' } });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().code, 'GROUP_TAKEN');
    assert.equal(dup.json().errors[0].field, 'name');
    const other = (await admin({ method: 'POST', url: '/groups', payload: { name: 'Legal' } })).json();
    const rename = await admin({ method: 'PUT', url: `/groups/${other.id}`, payload: { name: 'privacy' } });
    assert.equal(rename.statusCode, 409);
  });

  it('adds and removes members, lists them by username, and tells entitlement sync', async () => {
    const group = (await admin({ method: 'POST', url: '/groups', payload: { name: 'Analysts' } })).json();
    const zed = await insertUser(t.store.db, 'zed');
    const amy = await insertUser(t.store.db, 'amy');
    const before = await changeMarks(t.store.db);
    const added = await admin({
      method: 'POST',
      url: `/groups/${group.id}/members`,
      payload: { userIds: [zed, amy, zed] },
    });
    assert.equal(added.statusCode, 200, added.body);
    assert.equal(added.json().memberCount, 2);
    const [event] = await eventsOf(t, added);
    assert.equal(event?.action, 'GroupMemberAdded');
    assert.deepEqual(
      event?.targets.map((x) => x.id),
      [String(group.id), String(zed), String(amy)],
    );
    const marks = await changeMarks(t.store.db);
    assert.ok(marks.get('warehouse')! > (before.get('warehouse') ?? new Date(0)));
    const again = await admin({
      method: 'POST',
      url: `/groups/${group.id}/members`,
      payload: { userIds: [amy] },
    });
    assert.equal(again.json().version, added.json().version, 'adding a member again changes nothing');
    assert.equal((await eventsOf(t, again)).length, 0);
    const listed = await admin({ url: `/groups/${group.id}/members` });
    assert.deepEqual(
      listed.json().members.map((m: { username: string }) => m.username),
      ['amy', 'zed'],
    );
    const page = await admin({ url: `/groups/${group.id}/members?size=1` });
    assert.equal(page.json().next, 1);
    const removed = await admin({ method: 'DELETE', url: `/groups/${group.id}/members/${amy}` });
    assert.equal(removed.json().memberCount, 1);
    assert.equal((await eventsOf(t, removed))[0]?.action, 'GroupMemberRemoved');
    const notMember = await admin({ method: 'DELETE', url: `/groups/${group.id}/members/${amy}` });
    assert.equal(notMember.statusCode, 404);
    const byMember = await admin({ url: `/groups?memberId=${zed}` });
    assert.deepEqual(
      byMember.json().groups.map((g: { name: string }) => g.name),
      ['Analysts'],
    );
  });

  it('names each unknown user id in the request when adding members', async () => {
    const group = (await admin({ method: 'POST', url: '/groups', payload: { name: 'Strict' } })).json();
    const real = await insertUser(t.store.db, 'real');
    const res = await admin({
      method: 'POST',
      url: `/groups/${group.id}/members`,
      payload: { userIds: [real, 999999] },
    });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'USER_NOT_FOUND');
    assert.deepEqual(
      res.json().errors.map((e: { field: string }) => e.field),
      ['userIds[1]'],
    );
    assert.equal((await admin({ url: `/groups/${group.id}` })).json().memberCount, 0, 'nothing was added');
  });

  it('searches groups by substring and exact name, with member counts', async () => {
    await admin({ method: 'POST', url: '/groups', payload: { name: 'Search me', description: 'findable' } });
    const bySearch = await admin({ url: '/groups?search=FINDABLE' });
    assert.deepEqual(
      bySearch.json().groups.map((g: { name: string }) => g.name),
      ['Search me'],
    );
    const byName = await admin({ url: '/groups?name=search%20ME' });
    assert.equal(byName.json().groups.length, 1);
    assert.equal(byName.json().groups[0].memberCount, 0);
  });
});
