import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { asAdmin, type CliHarness, startCliHarness } from './cli-harness.ts';

describe('steward users, groups and attributes', () => {
  let h: CliHarness;
  let admin: string[];
  const run = (...args: string[]) => h.run([...admin, ...args]);

  before(async () => {
    h = await startCliHarness();
    admin = asAdmin(h);
  });
  after(async () => {
    await h?.close();
  });

  test('users create, ls, get, disable, enable and delete, naming users by username or id', async () => {
    const created = await run(
      'users',
      'create',
      'alice',
      '--name',
      'Alice Analyst',
      '--email',
      'alice@example.com',
    );
    assert.equal(created.code, 0, created.stderr);
    const id = Number(/^Created user (\d+) alice\.$/m.exec(created.stdout)?.[1]);
    assert.ok(id > 0, created.stdout);
    await run('users', 'create', 'bob', '--permission', 'AUDIT,GOVERNANCE');

    const listed = await run('users', 'ls');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^ID +USERNAME +NAME +EMAIL +STATE +SOURCE +PERMISSIONS$/m);
    assert.match(
      listed.stdout,
      new RegExp(`^${id} +alice +Alice Analyst +alice@example\\.com +active +bim`, 'm'),
    );
    assert.match(listed.stdout, /bob +- +- +active +bim +AUDIT,GOVERNANCE$/m);
    const searched = JSON.parse((await run('users', 'ls', '--search', 'ALI', '--json')).stdout);
    assert.deepEqual(
      searched.map((u: { username: string }) => u.username),
      ['alice'],
    );

    const byName = await run('users', 'get', 'ALICE');
    assert.match(byName.stdout, /^username: +alice$/m);
    const byId = JSON.parse((await run('users', 'get', String(id), '--json')).stdout);
    assert.equal(byId.username, 'alice');

    const disabled = await run('users', 'disable', 'alice');
    assert.equal(disabled.stdout, 'Disabled user alice.\n');
    assert.match((await run('users', 'get', 'alice')).stdout, /^state: +disabled$/m);
    assert.equal((await run('users', 'enable', String(id))).stdout, 'Enabled user alice.\n');

    const noTty = await run('users', 'delete', 'bob');
    assert.equal(noTty.code, 2);
    const deleted = await run('users', 'delete', 'bob', '--yes');
    assert.equal(deleted.stdout, 'Deleted user bob.\n');
    const missing = await run('users', 'get', 'bob');
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'error: there is no user "bob"\n');
  });

  test('groups create, add-member, get, ls, remove-member and delete', async () => {
    await run('users', 'create', 'carol');
    await run('users', 'create', 'dave');
    const created = await run('groups', 'create', 'Analysts', '--description', 'People who analyse');
    assert.match(created.stdout, /^Created group \d+ Analysts\.$/m);
    const added = await run('groups', 'add-member', 'analysts', 'carol', 'dave');
    assert.equal(added.code, 0, added.stderr);
    assert.equal(added.stdout, 'Group Analysts now has 2 members (2 added).\n');
    const got = await run('groups', 'get', 'Analysts');
    assert.match(got.stdout, /^members: +2$/m);
    assert.match(got.stdout, /^ID +USERNAME +NAME +STATE$/m);
    assert.match(got.stdout, /carol +- +active/);
    const listed = await run('groups', 'ls', '--member', 'carol');
    assert.match(listed.stdout, /^\d+ +Analysts +2 +bim +People who analyse$/m);
    const removed = await run('groups', 'remove-member', 'Analysts', 'dave');
    assert.equal(removed.stdout, 'Removed dave from group Analysts.\n');
    const json = JSON.parse((await run('groups', 'get', 'Analysts', '--json')).stdout);
    assert.deepEqual(
      json.members.map((m: { username: string }) => m.username),
      ['carol'],
    );
    assert.match((await run('users', 'get', 'carol')).stdout, /^groups: +Analysts$/m);
    const deleted = await run('groups', 'delete', 'Analysts', '--yes');
    assert.equal(deleted.stdout, 'Deleted group Analysts.\n');
    assert.equal((await run('groups', 'ls')).stdout, 'No groups.\n');
  });

  test('attributes set replaces the values of the keys given, ls shows them, rm removes', async () => {
    await run('users', 'create', 'erin');
    const set = await run('attributes', 'set', 'erin', 'Region=US,CA', 'Department=Sales');
    assert.equal(set.code, 0, set.stderr);
    assert.equal(set.stdout, 'KEY         VALUES\nDepartment  Sales\nRegion      CA, US\n');
    const replaced = await run('attributes', 'set', 'erin', 'Region=EU', '--json');
    assert.deepEqual(JSON.parse(replaced.stdout), { Department: ['Sales'], Region: ['EU'] });
    const ls = await run('attributes', 'ls', 'erin');
    assert.match(ls.stdout, /^Region +EU$/m);
    const rmValue = await run('attributes', 'rm', 'erin', 'Department=Sales', '--json');
    assert.deepEqual(JSON.parse(rmValue.stdout), { Region: ['EU'] });
    const rmKey = await run('attributes', 'rm', 'erin', 'Region');
    assert.equal(rmKey.stdout, 'No attributes.\n');
    const missing = await run('attributes', 'rm', 'erin', 'Region');
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'error: User erin has no attribute Region.\n');
    const usage = await run('attributes', 'set', 'erin', 'Region');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /Key=Value/);
    const invalid = await run('attributes', 'set', 'erin', 'Region=sa*les');
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /^ {2}attributes\.Region\[0\]: may use \* only/m);
  });
});
