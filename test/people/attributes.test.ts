import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { attributeValueProblem } from '../../src/people/attribute.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { caller, eventsOf, insertUser } from './support.ts';

describe('attributes: REST', () => {
  let t: TestApp;
  let admin: ReturnType<typeof caller>;
  before(async () => {
    t = await createTestApp();
    admin = caller(t, t.adminKey);
  });
  after(async () => {
    await t.close();
  });

  it('replaces all attributes, sorted and without duplicates, and audits what changed', async () => {
    const id = await insertUser(t.store.db, 'replace-all', { attributes: { Region: ['US'], Team: ['a'] } });
    const res = await admin({
      method: 'PUT',
      url: `/users/${id}/attributes`,
      payload: { attributes: { Region: ['US', 'CA', 'US'], SpecialAccess: ['sales.*'] } },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      userId: id,
      attributes: { Region: ['CA', 'US'], SpecialAccess: ['sales.*'] },
    });
    const [event] = await eventsOf(t, res);
    assert.equal(event?.action, 'AttributeApplied');
    assert.deepEqual(event?.payload, {
      added: { Region: ['CA'], SpecialAccess: ['sales.*'] },
      removed: { Team: ['a'] },
    });
    const detail = await admin({ url: `/users/${id}` });
    assert.deepEqual(detail.json().attributes, { Region: ['CA', 'US'], SpecialAccess: ['sales.*'] });
  });

  it('adds values, keeping the ones a user has', async () => {
    const id = await insertUser(t.store.db, 'adder', { attributes: { Region: ['US'] } });
    const res = await admin({
      method: 'POST',
      url: `/users/${id}/attributes`,
      payload: { attributes: { Region: ['CA'], Dept: ['Sales'] } },
    });
    assert.deepEqual(res.json().attributes, { Dept: ['Sales'], Region: ['CA', 'US'] });
    const same = await admin({
      method: 'POST',
      url: `/users/${id}/attributes`,
      payload: { attributes: { Region: ['CA'] } },
    });
    assert.equal((await eventsOf(t, same)).length, 0, 'adding a value the user has records nothing');
  });

  it('replaces the values of the keys given in one request, leaving the other keys', async () => {
    const id = await insertUser(t.store.db, 'multi-key', {
      attributes: { Region: ['US'], Dept: ['Sales'], Team: ['a'] },
    });
    const res = await admin({
      method: 'POST',
      url: `/users/${id}/attributes`,
      payload: { mode: 'replace', attributes: { Region: ['EU', 'CA'], Team: [] } },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().attributes, { Dept: ['Sales'], Region: ['CA', 'EU'] });
    const [event] = await eventsOf(t, res);
    assert.deepEqual(event?.payload, {
      added: { Region: ['CA', 'EU'] },
      removed: { Region: ['US'], Team: ['a'] },
    });
  });

  it('replaces one key, leaving the others, and an empty list removes the key', async () => {
    const id = await insertUser(t.store.db, 'one-key', { attributes: { Region: ['US'], Dept: ['Sales'] } });
    const res = await admin({
      method: 'PUT',
      url: `/users/${id}/attributes/Region`,
      payload: { values: ['EU', 'APAC'] },
    });
    assert.deepEqual(res.json().attributes, { Dept: ['Sales'], Region: ['APAC', 'EU'] });
    const cleared = await admin({
      method: 'PUT',
      url: `/users/${id}/attributes/Region`,
      payload: { values: [] },
    });
    assert.deepEqual(cleared.json().attributes, { Dept: ['Sales'] });
  });

  it('removes a key or one value, and 404s on what the user does not have', async () => {
    const id = await insertUser(t.store.db, 'remover', {
      attributes: { Region: ['US', 'CA'], 'Cost Center': ['4/2'] },
    });
    const one = await admin({ method: 'DELETE', url: `/users/${id}/attributes/Region/US` });
    assert.deepEqual(one.json().attributes, { 'Cost Center': ['4/2'], Region: ['CA'] });
    assert.equal((await eventsOf(t, one))[0]?.action, 'AttributeRemoved');
    const encoded = await admin({ method: 'DELETE', url: `/users/${id}/attributes/Cost%20Center/4%2F2` });
    assert.equal(encoded.statusCode, 200, encoded.body);
    assert.deepEqual(encoded.json().attributes, { Region: ['CA'] });
    const key = await admin({ method: 'DELETE', url: `/users/${id}/attributes/Region` });
    assert.deepEqual(key.json().attributes, {});
    const missing = await admin({ method: 'DELETE', url: `/users/${id}/attributes/Region` });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'USER_ATTRIBUTE_NOT_FOUND');
    const user404 = await admin({ method: 'DELETE', url: '/users/999999/attributes/Region' });
    assert.equal(user404.json().code, 'USER_NOT_FOUND');
  });

  it('rejects bad keys and values with the field path of each', async () => {
    const id = await insertUser(t.store.db, 'validated');
    const res = await admin({
      method: 'PUT',
      url: `/users/${id}/attributes`,
      payload: { attributes: { Region: ['ok', 'tab\there', 'sa*les'], ['k'.repeat(129)]: ['v'], '': ['v'] } },
    });
    assert.equal(res.statusCode, 400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    assert.ok(fields.includes('attributes.Region[1]'), fields.join());
    assert.ok(fields.includes('attributes.Region[2]'), fields.join());
    assert.ok(
      fields.some((f: string) => f.startsWith('attributes.kkkk')),
      fields.join(),
    );
    assert.equal(
      (await admin({ url: `/users/${id}` })).json().attributes.Region,
      undefined,
      'nothing was saved',
    );
    const param = await admin({
      method: 'PUT',
      url: `/users/${id}/attributes/bad%07key`,
      payload: { values: [] },
    });
    assert.equal(param.statusCode, 400);
    assert.equal(param.json().errors[0].in, 'params');
  });

  it('allows * only as the whole last segment of a dotted value', () => {
    for (const ok of ['sales', 'sales.*', '*', 'us-east-1-snowflake.default.*', 'U.S.']) {
      assert.equal(attributeValueProblem(ok), undefined, ok);
    }
    for (const bad of ['sa*les', 'sales*', '*.sales', 'a.**', ' padded', '']) {
      assert.ok(attributeValueProblem(bad), bad);
    }
  });
});
