import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../src/errors/index.ts';
import { parseFilter, parsePatchPath } from '../../src/scim/filter/parse.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { scimClient } from './support.ts';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('SCIM filters', () => {
  describe('parsing', () => {
    const cases: Array<[string, unknown]> = [
      ['userName eq "bjensen"', { kind: 'compare', attr: { name: 'userName' }, op: 'eq', value: 'bjensen' }],
      ['UserName EQ "x"', { kind: 'compare', attr: { name: 'UserName' }, op: 'eq', value: 'x' }],
      [
        'name.familyName co "O\'Malley"',
        { kind: 'compare', attr: { name: 'name', sub: 'familyName' }, op: 'co', value: "O'Malley" },
      ],
      ['title pr', { kind: 'present', attr: { name: 'title' } }],
      ['active eq false', { kind: 'compare', attr: { name: 'active' }, op: 'eq', value: false }],
      ['externalId eq null', { kind: 'compare', attr: { name: 'externalId' }, op: 'eq', value: null }],
      [
        'userName eq "a \\"quoted\\" \\u00e9"',
        { kind: 'compare', attr: { name: 'userName' }, op: 'eq', value: 'a "quoted" é' },
      ],
      [
        'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"',
        {
          kind: 'compare',
          attr: { uri: 'urn:ietf:params:scim:schemas:core:2.0:User', name: 'userName' },
          op: 'sw',
          value: 'J',
        },
      ],
      [
        'a eq "1" or b eq "2" and c eq "3"',
        {
          kind: 'or',
          left: { kind: 'compare', attr: { name: 'a' }, op: 'eq', value: '1' },
          right: {
            kind: 'and',
            left: { kind: 'compare', attr: { name: 'b' }, op: 'eq', value: '2' },
            right: { kind: 'compare', attr: { name: 'c' }, op: 'eq', value: '3' },
          },
        },
      ],
      [
        'not (a pr) and (b eq 1.5 or c le "z")',
        {
          kind: 'and',
          left: { kind: 'not', operand: { kind: 'present', attr: { name: 'a' } } },
          right: {
            kind: 'or',
            left: { kind: 'compare', attr: { name: 'b' }, op: 'eq', value: 1.5 },
            right: { kind: 'compare', attr: { name: 'c' }, op: 'le', value: 'z' },
          },
        },
      ],
      [
        'emails[type eq "work" and value co "@example.com"]',
        {
          kind: 'valuePath',
          attr: { name: 'emails' },
          filter: {
            kind: 'and',
            left: { kind: 'compare', attr: { name: 'type' }, op: 'eq', value: 'work' },
            right: { kind: 'compare', attr: { name: 'value' }, op: 'co', value: '@example.com' },
          },
        },
      ],
      [
        'emails[type eq "work"].value eq "x"',
        {
          kind: 'compare',
          attr: { name: 'emails', sub: 'value' },
          op: 'eq',
          value: 'x',
          elementFilter: { kind: 'compare', attr: { name: 'type' }, op: 'eq', value: 'work' },
        },
      ],
    ];
    for (const [text, expected] of cases) {
      it(`parses ${text}`, () => assert.deepEqual(parseFilter(text), expected));
    }

    const invalid = [
      '',
      'userName',
      'userName eq',
      'userName equals "x"',
      'userName eq "unterminated',
      '(userName eq "x"',
      'userName eq "x")',
      'userName eq "x" and',
      'userName eq x',
      'emails[type eq "work"',
      'name.givenName[type eq "x"]',
      'a.b.c eq "x"',
      'userName eq "x" # comment',
      `${'('.repeat(40)}a pr${')'.repeat(40)}`,
      `userName eq "${'x'.repeat(5000)}"`,
    ];
    for (const text of invalid) {
      it(`rejects ${JSON.stringify(text.slice(0, 40))} as invalidFilter`, () => {
        assert.throws(
          () => parseFilter(text),
          (e: unknown) => e instanceof AppError && e.code === 'USER_FILTER_INVALID' && e.statusCode === 400,
        );
      });
    }

    it('parses PATCH paths and rejects bad ones as invalidPath', () => {
      assert.deepEqual(parsePatchPath('emails[type eq "work"].value'), {
        attr: { name: 'emails' },
        filter: { kind: 'compare', attr: { name: 'type' }, op: 'eq', value: 'work' },
        subAfterFilter: 'value',
      });
      assert.deepEqual(parsePatchPath(`${ENTERPRISE}:manager`), {
        attr: { uri: ENTERPRISE, name: 'manager' },
      });
      assert.deepEqual(parsePatchPath('members[value eq "12"]').filter, {
        kind: 'compare',
        attr: { name: 'value' },
        op: 'eq',
        value: '12',
      });
      for (const bad of ['', 'emails[', 'emails]', 'name..givenName', 'emails[type eq "w"] extra']) {
        assert.throws(
          () => parsePatchPath(bad),
          (e: unknown) => e instanceof AppError && e.code === 'USER_PATCH_PATH_INVALID',
          bad,
        );
      }
    });
  });

  describe('run against the store', () => {
    let t: TestApp;
    let scim: ReturnType<typeof scimClient>;
    const ids: Record<string, string> = {};
    before(async () => {
      t = await createTestApp();
      scim = scimClient(t);
      const people = [
        {
          userName: 'ann@example.com',
          displayName: 'Ann Lee',
          externalId: 'E-1',
          active: true,
          title: 'Analyst',
          emails: [
            { value: 'ann@example.com', type: 'work', primary: true },
            { value: 'ann@home.example', type: 'home' },
          ],
          [ENTERPRISE]: { department: 'Sales', employeeNumber: '7' },
        },
        {
          userName: 'bob@example.com',
          displayName: 'Bob Ray',
          externalId: 'e-1',
          active: false,
          emails: [{ value: 'bob@corp.example', type: 'work' }],
          [ENTERPRISE]: { department: 'Legal' },
        },
        { userName: 'cy_100%@example.com', name: { givenName: 'Cy', familyName: 'Ng' } },
      ];
      for (const person of people) {
        const res = await scim.post('/Users', person);
        assert.equal(res.statusCode, 201, res.body);
        ids[person.userName] = res.json().id;
      }
      const group = await scim.post('/Groups', {
        displayName: 'Sales Team',
        members: [{ value: ids['ann@example.com'] }],
      });
      ids['group'] = group.json().id;
    });
    after(async () => {
      await t?.close();
    });

    const table: Array<[string, string[]]> = [
      ['userName eq "ANN@example.com"', ['ann@example.com']],
      [
        'userName ne "ann@example.com" and userName ew "@example.com"',
        ['bob@example.com', 'cy_100%@example.com'],
      ],
      ['userName sw "b"', ['bob@example.com']],
      ['userName co "100%"', ['cy_100%@example.com']],
      ['userName co "_"', ['cy_100%@example.com']],
      ['userName co "%"', ['cy_100%@example.com']],
      ['displayName co "lee"', ['ann@example.com']],
      ['externalId eq "e-1"', ['bob@example.com']],
      ['externalId eq "E-1"', ['ann@example.com']],
      ['externalId pr', ['ann@example.com', 'bob@example.com']],
      ['not (externalId pr)', ['admin', 'cy_100%@example.com']],
      ['externalId eq null', ['admin', 'cy_100%@example.com']],
      ['active eq true', ['admin', 'ann@example.com', 'cy_100%@example.com']],
      ['active eq false', ['bob@example.com']],
      ['emails.value eq "ann@home.example"', ['ann@example.com']],
      ['emails eq "bob@corp.example"', ['bob@example.com']],
      ['emails[type eq "work"].value eq "ann@example.com"', ['ann@example.com']],
      ['emails[type eq "home"].value eq "ann@example.com"', []],
      ['emails[type eq "work" and value ew "corp.example"]', ['bob@example.com']],
      ['emails[primary eq true]', ['ann@example.com']],
      ['name.givenName eq "cy" or name.familyName eq "nope"', ['cy_100%@example.com']],
      ['title pr', ['ann@example.com']],
      [`${ENTERPRISE}:department eq "sales"`, ['ann@example.com']],
      ['groups.display eq "sales team"', ['ann@example.com']],
      ['id eq "not-a-number"', []],
      ['meta.created gt "2000-01-01T00:00:00Z" and userName eq "bob@example.com"', ['bob@example.com']],
      ['meta.lastModified lt "2000-01-01T00:00:00Z"', []],
      [
        '(userName eq "ann@example.com" or userName eq "bob@example.com") and not (active eq false)',
        ['ann@example.com'],
      ],
    ];
    for (const [filter, expected] of table) {
      it(`filter ${filter}`, async () => {
        const res = await scim.get(`/Users?filter=${encodeURIComponent(filter)}&attributes=userName`);
        assert.equal(res.statusCode, 200, res.body);
        const names = res
          .json()
          .Resources.map((r: { userName: string }) => r.userName)
          .sort();
        assert.deepEqual(names, expected);
        assert.equal(res.json().totalResults, expected.length);
      });
    }

    it('filters by id and by member', async () => {
      const byId = await scim.get(`/Users?filter=${encodeURIComponent(`id eq "${ids['bob@example.com']}"`)}`);
      assert.equal(byId.json().Resources[0].userName, 'bob@example.com');
      const byMember = await scim.get(
        `/Groups?filter=${encodeURIComponent(`members[value eq "${ids['ann@example.com']}"]`)}&excludedAttributes=members`,
      );
      assert.deepEqual(
        byMember.json().Resources.map((g: { displayName: string }) => g.displayName),
        ['Sales Team'],
      );
      assert.equal(byMember.json().Resources[0].members, undefined);
    });

    const rejected: Array<[string, RegExp]> = [
      ['nickName2 eq "x"', /nickName2/],
      ['password eq "x"', /password/],
      ['emails.nope eq "x"', /emails.nope/],
      ['active gt true', /boolean/],
      ['active eq "yes"', /boolean/],
      ['meta.lastModified gt "yesterday"', /date/],
      ['meta.lastModified co "2020"', /date/],
      ['userName eq 5', /string/],
      ['userName[type eq "x"]', /multi-valued/],
      ['id gt "3"', /identifier/],
      ['urn:example:custom:ext:attr eq "x"', /attr/],
      [`userName eq "${'x'.repeat(5000)}"`, /longer than 4096/],
    ];
    for (const [filter, detail] of rejected) {
      it(`answers 400 invalidFilter for ${filter}`, async () => {
        const res = await scim.get(`/Users?filter=${encodeURIComponent(filter)}`);
        assert.equal(res.statusCode, 400);
        assert.equal(res.json().scimType, 'invalidFilter');
        assert.match(res.json().detail, detail);
      });
    }
  });
});
