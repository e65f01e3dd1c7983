import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { computeEntitlements } from '../../src/entitlements/compute.ts';
import { loadDirectory } from '../../src/entitlements/load.ts';
import { auditOf, createMetadataFixture, fieldsOf, type MetadataFixture } from '../datasources/fixture.ts';

interface Purpose {
  id: number;
  name: string;
  description: string | null;
}

describe('purposes: the vocabulary and the purposes each user acts under', () => {
  let f: MetadataFixture;
  let analyst: { id: number; key: string };
  before(async () => {
    f = await createMetadataFixture();
    await f.register('wh');
    analyst = await f.t.userWith([], 'analyst');
  });
  after(async () => {
    await f.close();
  });

  const changedAt = async () =>
    (
      await f.t.store.db
        .selectFrom('entitlement_sync')
        .select('changed_at')
        .where('connection_key', '=', 'wh')
        .executeTakeFirst()
    )?.changed_at.getTime() ?? 0;

  const purposeRows = async () => {
    const { directory } = await loadDirectory(f.t.store.db, 'wh');
    return computeEntitlements(directory, new Date()).user_purposes.filter(([p]) => p === 'analyst');
  };

  it('creates purposes for GOVERNANCE and PROJECT_MANAGEMENT, unique regardless of case', async () => {
    const fraud = await f.call({
      method: 'POST',
      url: '/purpose',
      payload: { name: 'Fraud', description: 'Fraud detection' },
    });
    assert.equal(fraud.statusCode, 201, fraud.body);
    assert.equal(fraud.json().name, 'Fraud');
    assert.deepEqual(
      (await auditOf(f.t, fraud)).map((e) => e.action),
      ['PurposeCreated'],
    );
    const manager = await f.t.userWith(['PROJECT_MANAGEMENT']);
    const research = await f.call(
      { method: 'POST', url: '/purpose', payload: { name: 'Research' } },
      manager.key,
    );
    assert.equal(research.statusCode, 201, research.body);
    const dup = await f.call({ method: 'POST', url: '/purpose', payload: { name: 'FRAUD' } });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().code, 'PURPOSE_TAKEN');
    assert.deepEqual(fieldsOf(dup), ['name']);
    const admin = await f.t.userWith(['USER_ADMIN']);
    const denied = await f.call(
      { method: 'POST', url: '/purpose', payload: { name: 'Marketing' } },
      admin.key,
    );
    assert.equal(denied.statusCode, 403);
  });

  it('lists purposes by name, with a search and pages', async () => {
    const all = await f.ok<{ purposes: Purpose[]; next: number | null }>({ url: '/purpose' }, analyst.key);
    assert.deepEqual(
      all.purposes.map((p) => p.name),
      ['Fraud', 'Research'],
    );
    const found = await f.ok<{ purposes: Purpose[] }>({ url: '/purpose?searchText=sear' });
    assert.deepEqual(
      found.purposes.map((p) => p.name),
      ['Research'],
    );
    const page = await f.ok<{ purposes: Purpose[]; next: number | null }>({ url: '/purpose?size=1' });
    assert.equal(page.purposes.length, 1);
    assert.equal(page.next, 1);
  });

  it('sets the purposes a user acts under and emits them as entitlement rows', async () => {
    const before = await changedAt();
    const res = await f.call({
      method: 'PUT',
      url: `/users/${analyst.id}/purposes`,
      payload: { purposes: ['fraud', 'Research'] },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      res.json().purposes.map((p: Purpose) => p.name),
      ['Fraud', 'Research'],
    );
    assert.ok((await changedAt()) > before, 'entitlements were marked changed');
    assert.deepEqual((await purposeRows()).sort(), [
      ['analyst', 'Fraud'],
      ['analyst', 'Research'],
    ]);
    const read = await f.ok<{ purposes: Purpose[] }>({ url: `/users/${analyst.id}/purposes` });
    assert.deepEqual(
      read.purposes.map((p) => p.name),
      ['Fraud', 'Research'],
    );
    const governor = await f.t.userWith(['GOVERNANCE']);
    const narrowed = await f.call(
      { method: 'PUT', url: `/users/${analyst.id}/purposes`, payload: { purposes: ['Research'] } },
      governor.key,
    );
    assert.equal(narrowed.statusCode, 200, narrowed.body);
    assert.deepEqual((await auditOf(f.t, narrowed))[0]?.payload, { added: [], removed: ['Fraud'] });
  });

  it('refuses unknown purposes by index and changes nothing', async () => {
    const res = await f.call({
      method: 'PUT',
      url: `/users/${analyst.id}/purposes`,
      payload: { purposes: ['Fraud', 'Astrology'] },
    });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'PURPOSE_NOT_FOUND');
    assert.deepEqual(fieldsOf(res), ['purposes[1]']);
    assert.deepEqual(await purposeRows(), [['analyst', 'Research']]);
    const auditor = await f.t.userWith(['AUDIT']);
    const denied = await f.call({ url: `/users/${analyst.id}/purposes` }, auditor.key);
    assert.equal(denied.statusCode, 403);
    assert.equal((await f.call({ url: '/users/999999/purposes' })).statusCode, 404);
  });

  it('deletes a purpose, so nobody acts under it any more', async () => {
    const [research] = (await f.ok<{ purposes: Purpose[] }>({ url: '/purpose?searchText=Research' }))
      .purposes;
    const before = await changedAt();
    const res = await f.call({ method: 'DELETE', url: `/purpose/${research!.id}` });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok((await changedAt()) > before, 'entitlements were marked changed');
    assert.deepEqual(await purposeRows(), []);
    assert.equal((await f.call({ method: 'DELETE', url: `/purpose/${research!.id}` })).statusCode, 404);
  });
});
