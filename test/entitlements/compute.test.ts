import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  computeEntitlements,
  countRows,
  type Directory,
  type DirectoryUser,
  nextExpiry,
  principalOf,
} from '../../src/entitlements/compute.ts';
import { diffRows } from '../../src/entitlements/diff.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const LATER = new Date('2026-06-02T12:00:00Z');
const EARLIER = new Date('2026-05-31T12:00:00Z');

const alice: DirectoryUser = { id: 1, username: 'alice', state: 'active' };
const bob: DirectoryUser = { id: 2, username: 'bob', state: 'active' };
const carol: DirectoryUser = { id: 3, username: 'carol', state: 'disabled' };

function directory(parts: Partial<Directory>): Directory {
  return { users: [alice, bob, carol], externalIds: [], groups: [], attributes: [], members: [], ...parts };
}

const sorted = <T extends readonly string[]>(rows: readonly T[]) =>
  [...rows].map((r) => r.join('\u0001')).sort();

describe('entitlement rows computed from the directory', () => {
  it('uses the Steward username when the external id is unset', () => {
    const rows = computeEntitlements(directory({ groups: [{ userId: 1, group: 'Finance' }] }), NOW);
    assert.deepEqual(rows.user_groups, [['alice', 'Finance']]);
  });

  it('uses the explicit principal when one is set', () => {
    const rows = computeEntitlements(
      directory({
        externalIds: [{ userId: 1, mode: 'explicit', principal: 'alice@corp.example' }],
        attributes: [{ userId: 1, key: 'Region', value: 'US' }],
      }),
      NOW,
    );
    assert.deepEqual(rows.user_attributes, [['alice@corp.example', 'Region', 'US']]);
  });

  it('gives no rows to a user mapped to none', () => {
    const rows = computeEntitlements(
      directory({
        externalIds: [{ userId: 1, mode: 'none', principal: null }],
        groups: [
          { userId: 1, group: 'Finance' },
          { userId: 2, group: 'Finance' },
        ],
        attributes: [{ userId: 1, key: 'Region', value: 'US' }],
        members: [{ userId: 1, dataSourceId: '10', role: 'subscriber', expiresAt: null }],
      }),
      NOW,
    );
    assert.deepEqual(rows.user_groups, [['bob', 'Finance']]);
    assert.deepEqual(rows.user_attributes, []);
    assert.deepEqual(rows.user_subscriptions, []);
  });

  it('gives no rows at all to a disabled user, even with an explicit principal', () => {
    const rows = computeEntitlements(
      directory({
        externalIds: [{ userId: 3, mode: 'explicit', principal: 'carol_db' }],
        groups: [{ userId: 3, group: 'Finance' }],
        attributes: [{ userId: 3, key: 'Region', value: 'EU' }],
        members: [{ userId: 3, dataSourceId: '10', role: 'owner', expiresAt: null }],
      }),
      NOW,
    );
    assert.deepEqual(rows, {
      user_principals: [['alice'], ['bob']],
      user_groups: [],
      user_attributes: [],
      user_subscriptions: [],
      user_purposes: [],
    });
    assert.equal(principalOf(carol, undefined), undefined);
  });

  it('lists every active user with a principal as governed, even one with no group or attribute', () => {
    const rows = computeEntitlements(
      directory({
        externalIds: [
          { userId: 1, mode: 'explicit', principal: 'alice_db' },
          { userId: 2, mode: 'none', principal: null },
        ],
        groups: [{ userId: 1, group: 'Finance' }],
      }),
      NOW,
    );
    assert.deepEqual(rows.user_principals, [['alice_db']]);
    assert.equal(countRows(rows), 2);
  });

  it('subscribes owners and subscribers until their membership expires, never experts', () => {
    const rows = computeEntitlements(
      directory({
        members: [
          { userId: 1, dataSourceId: '10', role: 'subscriber', expiresAt: null },
          { userId: 1, dataSourceId: '11', role: 'owner', expiresAt: LATER },
          { userId: 1, dataSourceId: '12', role: 'subscriber', expiresAt: EARLIER },
          { userId: 1, dataSourceId: '13', role: 'subscriber', expiresAt: NOW },
          { userId: 2, dataSourceId: '10', role: 'expert', expiresAt: null },
        ],
      }),
      NOW,
    );
    assert.deepEqual(
      sorted(rows.user_subscriptions),
      sorted([
        ['alice', '10'],
        ['alice', '11'],
      ]),
    );
  });

  it('merges the rows of two users mapped to one principal, without duplicates', () => {
    const rows = computeEntitlements(
      directory({
        externalIds: [{ userId: 2, mode: 'explicit', principal: 'alice' }],
        groups: [
          { userId: 1, group: 'Finance' },
          { userId: 2, group: 'Finance' },
          { userId: 2, group: 'HR' },
        ],
      }),
      NOW,
    );
    assert.deepEqual(
      sorted(rows.user_groups),
      sorted([
        ['alice', 'Finance'],
        ['alice', 'HR'],
      ]),
    );
  });

  it('keeps every value of a multi-valued attribute, and purposes stay empty', () => {
    const rows = computeEntitlements(
      directory({
        attributes: [
          { userId: 1, key: 'Region', value: 'US' },
          { userId: 1, key: 'Region', value: 'CA' },
          { userId: 1, key: 'SpecialAccess', value: 'sales.*' },
        ],
      }),
      NOW,
    );
    assert.equal(rows.user_attributes.length, 3);
    assert.deepEqual(rows.user_purposes, []);
  });

  it('reports the next expiry of a subscription that counts today', () => {
    const soon = new Date(NOW.getTime() + 60_000);
    const dir = directory({
      members: [
        { userId: 1, dataSourceId: '10', role: 'subscriber', expiresAt: LATER },
        { userId: 1, dataSourceId: '11', role: 'subscriber', expiresAt: soon },
        { userId: 1, dataSourceId: '12', role: 'subscriber', expiresAt: EARLIER },
        { userId: 2, dataSourceId: '12', role: 'expert', expiresAt: new Date(NOW.getTime() + 1000) },
        { userId: 3, dataSourceId: '12', role: 'owner', expiresAt: new Date(NOW.getTime() + 1000) },
      ],
    });
    assert.deepEqual(nextExpiry(dir, NOW), soon);
    assert.equal(nextExpiry(directory({}), NOW), undefined);
  });
});

describe('the difference between held and desired rows', () => {
  it('inserts what is missing and deletes what is no longer wanted, once each', () => {
    const diff = diffRows(
      [
        ['a', 'x'],
        ['a', 'y'],
        ['a', 'y'],
      ],
      [
        ['a', 'x'],
        ['b', 'x'],
        ['b', 'x'],
      ],
    );
    assert.deepEqual(diff.insert, [['b', 'x']]);
    assert.deepEqual(diff.delete, [['a', 'y']]);
    assert.equal(diff.size, 2);
  });

  it('tells apart rows whose joined text would be equal', () => {
    const diff = diffRows([['ab', 'c']], [['a', 'bc']]);
    assert.equal(diff.insert.length, 1);
    assert.equal(diff.delete.length, 1);
  });
});
