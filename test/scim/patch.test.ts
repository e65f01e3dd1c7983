import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/errors/index.ts';
import { GROUP_MODEL, USER_MODEL } from '../../src/scim/canonical.ts';
import { splitMemberOps } from '../../src/scim/member-ops.ts';
import { applyPatch } from '../../src/scim/patch.ts';
import { readPatchOperations } from '../../src/scim/patch-ops.ts';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const base = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: '7',
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@home.example', type: 'home' },
  ],
  active: true,
};

type Case = {
  readonly name: string;
  readonly operations: unknown[];
  readonly expected?: Record<string, unknown>;
  readonly error?: string;
};

const cases: Case[] = [
  {
    name: 'replaces a simple attribute',
    operations: [{ op: 'replace', path: 'userName', value: 'babs' }],
    expected: { ...base, userName: 'babs' },
  },
  {
    name: 'Entra: capitalised op and "False" as a string',
    operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    expected: { ...base, active: false },
  },
  {
    name: 'Okta: path-less replace with a value object',
    operations: [{ op: 'replace', value: { active: false } }],
    expected: { ...base, active: false },
  },
  {
    name: 'Okta: path-less replace repeating the id changes nothing else',
    operations: [{ op: 'replace', value: { id: '7', userName: 'babs' } }],
    expected: { ...base, userName: 'babs' },
  },
  {
    name: 'Entra: emails[type eq "work"].value and name.familyName',
    operations: [
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@example.com' },
      { op: 'Replace', path: 'name.familyName', value: 'Doe' },
    ],
    expected: {
      ...base,
      name: { givenName: 'Barbara', familyName: 'Doe' },
      emails: [
        { value: 'new@example.com', type: 'work', primary: true },
        { value: 'babs@home.example', type: 'home' },
      ],
    },
  },
  {
    name: 'Entra: path-less value keys that are paths, including a flattened extension attribute',
    operations: [
      {
        op: 'Add',
        value: {
          'name.givenName': 'Babs',
          'emails[type eq "other"].value': 'other@example.com',
          [`${ENTERPRISE}:department`]: 'Sales',
        },
      },
    ],
    expected: {
      ...base,
      name: { givenName: 'Babs', familyName: 'Jensen' },
      emails: [...base.emails, { type: 'other', value: 'other@example.com' }],
      [ENTERPRISE]: { department: 'Sales' },
    },
  },
  {
    name: 'Entra: manager sent as a bare id',
    operations: [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: '2819c223' }],
    expected: { ...base, [ENTERPRISE]: { manager: { value: '2819c223' } } },
  },
  {
    name: 'extension attributes as an object, case-insensitive URN',
    operations: [
      { op: 'add', value: { [ENTERPRISE.toUpperCase()]: { Department: 'Ops', costcenter: '42' } } },
    ],
    expected: { ...base, [ENTERPRISE]: { department: 'Ops', costCenter: '42' } },
  },
  {
    name: 'adds an email as primary, and the old primary stops being primary',
    operations: [
      { op: 'add', path: 'emails', value: [{ value: 'p@example.com', type: 'other', primary: true }] },
    ],
    expected: {
      ...base,
      emails: [
        { value: 'bjensen@example.com', type: 'work', primary: false },
        { value: 'babs@home.example', type: 'home' },
        { value: 'p@example.com', type: 'other', primary: true },
      ],
    },
  },
  {
    name: 'adding an email already there changes nothing',
    operations: [{ op: 'add', path: 'emails', value: [{ value: 'babs@home.example', type: 'home' }] }],
    expected: base,
  },
  {
    name: 'removes the emails a filter matches, and removing again changes nothing',
    operations: [
      { op: 'remove', path: 'emails[type eq "home"]' },
      { op: 'remove', path: 'emails[type eq "home"]' },
    ],
    expected: { ...base, emails: [base.emails[0]] },
  },
  {
    name: 'removes a sub-attribute of matching elements',
    operations: [{ op: 'remove', path: 'emails[type eq "work"].primary' }],
    expected: { ...base, emails: [{ value: 'bjensen@example.com', type: 'work' }, base.emails[1]] },
  },
  {
    name: 'removes elements listed in the value (the Entra member form)',
    operations: [{ op: 'remove', path: 'emails', value: [{ value: 'babs@home.example' }] }],
    expected: { ...base, emails: [base.emails[0]] },
  },
  {
    name: 'replaces a complex attribute by merging its sub-attributes',
    operations: [{ op: 'replace', path: 'name', value: { middleName: 'J' } }],
    expected: { ...base, name: { givenName: 'Barbara', familyName: 'Jensen', middleName: 'J' } },
  },
  {
    name: 'removes a whole attribute, and a sub-attribute',
    operations: [
      { op: 'remove', path: 'emails' },
      { op: 'remove', path: 'name.givenName' },
    ],
    expected: { ...base, emails: undefined, name: { familyName: 'Jensen' } },
  },
  {
    name: 'attribute names are case-insensitive',
    operations: [
      { op: 'replace', path: 'USERNAME', value: 'x' },
      { op: 'replace', path: 'Name.GivenName', value: 'y' },
    ],
    expected: { ...base, userName: 'x', name: { givenName: 'y', familyName: 'Jensen' } },
  },
  {
    name: 'an unknown extension is kept as sent',
    operations: [{ op: 'add', value: { 'urn:example:custom:1.0:User': { badge: 42 } } }],
    expected: { ...base, 'urn:example:custom:1.0:User': { badge: 42 } },
  },
  { name: 'remove without a path', operations: [{ op: 'remove' }], error: 'USER_PATCH_NO_TARGET' },
  {
    name: 'replace through a filter that matches nothing and creates nothing',
    operations: [{ op: 'replace', path: 'emails[value co "zzz"].type', value: 'work' }],
    error: 'USER_PATCH_NO_TARGET',
  },
  {
    name: 'an unknown attribute',
    operations: [{ op: 'add', path: 'shoeSize', value: '9' }],
    error: 'USER_PATCH_PATH_INVALID',
  },
  {
    name: 'a malformed path',
    operations: [{ op: 'add', path: 'emails[type eq', value: 'x' }],
    error: 'USER_PATCH_PATH_INVALID',
  },
  {
    name: 'a filter on a single-valued attribute',
    operations: [{ op: 'add', path: 'name[x eq "y"]', value: 'x' }],
    error: 'USER_PATCH_PATH_INVALID',
  },
  {
    name: 'emails.value without a filter',
    operations: [{ op: 'replace', path: 'emails.value', value: 'x' }],
    error: 'USER_PATCH_PATH_INVALID',
  },
  {
    name: 'the read-only groups',
    operations: [{ op: 'add', path: 'groups', value: [{ value: '1' }] }],
    error: 'USER_ATTRIBUTE_READ_ONLY',
  },
  {
    name: 'another id',
    operations: [{ op: 'replace', value: { id: '8' } }],
    error: 'USER_ATTRIBUTE_READ_ONLY',
  },
  {
    name: 'a boolean that is not one',
    operations: [{ op: 'replace', path: 'active', value: 'maybe' }],
    error: 'REQUEST_INVALID',
  },
  {
    name: 'an unknown op',
    operations: [{ op: 'merge', path: 'active', value: true }],
    error: 'REQUEST_INVALID',
  },
  { name: 'add without a value', operations: [{ op: 'add', path: 'title' }], error: 'REQUEST_INVALID' },
];

function strip(doc: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(doc));
}

describe('SCIM PATCH on a User document', () => {
  for (const c of cases) {
    it(c.name, () => {
      const run = () => applyPatch(base, readPatchOperations({ Operations: c.operations }), USER_MODEL, '7');
      if (c.error) {
        assert.throws(run, (e: unknown) => e instanceof AppError && e.code === c.error);
        return;
      }
      assert.deepEqual(strip(run()), strip(c.expected!));
    });
  }

  it('gives the same document when the same PATCH is applied three times', () => {
    const ops = readPatchOperations({
      Operations: [
        { op: 'add', path: 'emails', value: [{ value: 'x@example.com', type: 'other' }] },
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'w@example.com' },
        { op: 'remove', path: 'emails[type eq "home"]' },
        { op: 'replace', value: { active: false, 'name.givenName': 'B' } },
      ],
    });
    const once = applyPatch(base, ops, USER_MODEL, '7');
    const thrice = applyPatch(applyPatch(once, ops, USER_MODEL, '7'), ops, USER_MODEL, '7');
    assert.deepEqual(thrice, once);
  });

  it('does not change the document it is given', () => {
    const input = structuredClone(base);
    applyPatch(
      input,
      readPatchOperations({ Operations: [{ op: 'remove', path: 'emails' }] }),
      USER_MODEL,
      '7',
    );
    assert.deepEqual(input, base);
  });
});

describe('SCIM PATCH on a Group: member operations', () => {
  it('splits member operations from the others, in every shape Okta and Entra send', () => {
    const { documentOps, memberOps } = splitMemberOps(
      readPatchOperations({
        Operations: [
          { op: 'add', path: 'members', value: [{ value: '1', display: 'a' }] },
          { op: 'Remove', path: 'members', value: [{ $ref: null, value: '2' }] },
          { op: 'remove', path: 'members[value eq "3"]' },
          { op: 'replace', path: 'members', value: [{ value: '4' }] },
          { op: 'remove', path: 'members' },
          { op: 'replace', value: { id: '9', displayName: 'Renamed', members: [{ value: '5' }] } },
        ],
      }),
    );
    assert.deepEqual(
      memberOps.map((m) => (m.kind === 'removeMatching' ? m.kind : m)),
      [
        { kind: 'add', ids: [1] },
        { kind: 'remove', ids: [2] },
        'removeMatching',
        { kind: 'set', ids: [4] },
        { kind: 'removeAll' },
        { kind: 'set', ids: [5] },
      ],
    );
    assert.deepEqual(
      documentOps.map((o) => o.value),
      [{ id: '9', displayName: 'Renamed' }],
    );
    const doc = applyPatch({ id: '9', displayName: 'Old' }, documentOps, GROUP_MODEL, '9');
    assert.equal(doc['displayName'], 'Renamed');
  });

  it('refuses members that are not user ids, or nested groups', () => {
    for (const value of [[{ value: 'abc' }], [{ value: '1', type: 'Group' }], [{ display: 'x' }]]) {
      assert.throws(
        () => splitMemberOps(readPatchOperations({ Operations: [{ op: 'add', path: 'members', value }] })),
        (e: unknown) => e instanceof AppError && e.code === 'REQUEST_INVALID',
      );
    }
    assert.throws(
      () =>
        splitMemberOps(
          readPatchOperations({
            Operations: [{ op: 'replace', path: 'members[value eq "1"].display', value: 'x' }],
          }),
        ),
      (e: unknown) => e instanceof AppError && e.code === 'USER_PATCH_PATH_INVALID',
    );
  });
});
