import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { BUILTIN_IDENTIFIERS } from '../../src/discovery/builtin-identifiers.ts';
import { frameworksOf } from '../../src/discovery/registry.ts';
import { auditOf, createMetadataFixture, fieldsOf, type MetadataFixture } from '../datasources/fixture.ts';

interface Classifier {
  name: string;
  displayName: string;
  type: string;
  builtIn: boolean;
  config: {
    regex?: string;
    columnNameRegex?: string;
    values?: string[];
    canonical?: string;
    caseSensitive: boolean;
    tags: string[];
    specificity: number;
    dataTypes: string[];
  };
  createdBy: { id: number; name: string } | null;
}

interface Template {
  name: string;
  displayName: string;
  classifiers: Array<{ name: string; overrides?: { tags: string[] } }>;
  global: boolean;
  builtIn: boolean;
}

const ACCOUNT = {
  name: 'ACCOUNT_NUMBER',
  displayName: 'Account number',
  description: 'Account numbers such as 123456789-123-1',
  type: 'regex',
  config: { regex: '[0-9]{9}-[0-9]{3}-[0-9]', tags: ['Discovered.Finance.Account Number'] },
};

const DESK = {
  name: 'DESK_LOCATION',
  displayName: 'Desk location',
  description: 'Rooms of the office',
  type: 'dictionary',
  config: {
    values: ['Research Lab', ' Blue Room ', 'Purple Room', 'Blue Room'],
    tags: ['Discovered.Office.Desk'],
  },
};

const SSN_COLUMNS = {
  name: 'SSN_COLUMNS',
  displayName: 'SSN columns',
  description: 'Columns named like a social security number',
  type: 'columnNameRegex',
  config: { columnNameRegex: 'ssn|social ?security', tags: ['Discovered.Entity.Social Security Number'] },
};

describe('the sensitive data discovery API: identifiers (/sdd/classifier) and frameworks (/sdd/template)', () => {
  let f: MetadataFixture;
  let customers = '';
  let orders = '';
  let employees = '';
  let governor = '';
  let reader = '';
  before(async () => {
    f = await createMetadataFixture();
    await f.register('wh');
    customers = await f.dataSourceId('wh', 'sales', 'customers');
    orders = await f.dataSourceId('wh', 'sales', 'orders');
    employees = await f.dataSourceId('wh', 'hr', 'employees');
    governor = (await f.t.userWith(['GOVERNANCE'], 'sdd-governor')).key;
    reader = (await f.t.userWith([], 'sdd-reader')).key;
  });
  after(async () => {
    await f.close();
  });

  const identifierNames = async () =>
    (await f.t.store.db.selectFrom('sdd_identifiers').select('name').orderBy('name').execute()).map(
      (r) => r.name,
    );
  const tagNames = async () =>
    (await f.t.store.db.selectFrom('tags').select(['name', 'source']).orderBy('name').execute()).map(
      (r) => `${r.name}:${r.source}`,
    );
  const problem = (res: LightMyRequestResponse, status: number, code: string) => {
    assert.equal(res.statusCode, status, res.body);
    assert.equal(res.json().code, code, res.body);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  };

  describe('identifiers', () => {
    it('creates a regex identifier, keeps the pattern as written and its anchored form, creates its tags and audits it', async () => {
      const res = await f.call({ method: 'POST', url: '/sdd/classifier', payload: ACCOUNT }, governor);
      assert.equal(res.statusCode, 200, res.body);
      const created = res.json() as Classifier;
      assert.equal(created.type, 'regex');
      assert.equal(created.builtIn, false);
      assert.equal(created.config.regex, '[0-9]{9}-[0-9]{3}-[0-9]');
      assert.equal(created.config.canonical, '^[0-9]{9}-[0-9]{3}-[0-9]$');
      assert.equal(created.config.caseSensitive, false, 'caseSensitive defaults to false');
      assert.equal(created.config.specificity, 100);
      assert.deepEqual(created.config.dataTypes, ['text']);
      assert.equal(created.createdBy?.name, 'sdd-governor');
      const row = await f.t.store.db
        .selectFrom('sdd_identifiers')
        .selectAll()
        .where('name', '=', 'ACCOUNT_NUMBER')
        .executeTakeFirstOrThrow();
      assert.equal(row.pattern, '^[0-9]{9}-[0-9]{3}-[0-9]$');
      assert.equal(row.source_pattern, '[0-9]{9}-[0-9]{3}-[0-9]');
      const tags = await tagNames();
      for (const t of [
        'Discovered:discovered',
        'Discovered.Finance:discovered',
        'Discovered.Finance.Account Number:discovered',
      ])
        assert.ok(tags.includes(t), t);
      const [event] = await auditOf(f.t, res);
      assert.equal(event!.action, 'SddClassifierCreated');
      assert.deepEqual(event!.targets, [
        { type: 'sddClassifier', id: 'ACCOUNT_NUMBER', name: 'Account number' },
      ]);
    });

    it('creates dictionary and column-name identifiers, with the extensions specificity and dataTypes', async () => {
      const desk = await f.ok<Classifier>({ method: 'POST', url: '/sdd/classifier', payload: DESK });
      assert.deepEqual(
        desk.config.values,
        ['Research Lab', 'Blue Room', 'Purple Room'],
        'trimmed, without duplicates',
      );
      assert.equal(desk.config.regex, undefined);
      const ssn = await f.ok<Classifier>({
        method: 'POST',
        url: '/sdd/classifier',
        payload: { ...SSN_COLUMNS, config: { ...SSN_COLUMNS.config, caseSensitive: true, specificity: 7 } },
      });
      assert.equal(ssn.config.columnNameRegex, 'ssn|social ?security');
      assert.equal(
        ssn.config.canonical,
        'ssn|social ?security',
        'a column-name pattern is searched for, not anchored',
      );
      assert.equal(ssn.config.caseSensitive, true);
      assert.equal(ssn.config.specificity, 7);
      const dated = await f.ok<Classifier>({
        method: 'POST',
        url: '/sdd/classifier',
        payload: {
          name: 'HIRE_DATE',
          displayName: 'Hire date',
          type: 'regex',
          config: {
            regex: '20[0-9]{2}-[0-9]{2}-[0-9]{2}',
            tags: ['Discovered.HR.Hire Date'],
            dataTypes: ['date', 'text'],
          },
        },
      });
      assert.deepEqual(dated.config.dataTypes, ['date', 'text']);
    });

    it('refuses invalid bodies, naming each field, and changes nothing', async () => {
      const before = await identifierNames();
      const tagsBefore = await tagNames();
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [{ ...ACCOUNT, name: 'lower_case' }, ['name']],
        [{ ...ACCOUNT, name: 'X1', config: { tags: ['Discovered.X'] } }, ['config.regex']],
        [{ ...ACCOUNT, name: 'X2', config: { regex: 'a', values: ['a'] } }, ['config.values']],
        [{ ...ACCOUNT, name: 'X3', type: 'builtIn' }, ['type']],
        [{ ...ACCOUNT, name: 'X4', type: 'remoteDictionary' }, ['type']],
        [
          { ...ACCOUNT, name: 'X5', config: { regex: 'a', tags: ['Discovered.Ok', 'PII.Email'] } },
          ['config.tags[1]'],
        ],
        [{ ...ACCOUNT, name: 'X6', config: { regex: 'a', tags: ['Discovered'] } }, ['config.tags[0]']],
        [
          { ...ACCOUNT, name: 'X7', config: { regex: 'a', dataTypes: ['text', 'uuid'] } },
          ['config.dataTypes[1]'],
        ],
        [{ ...ACCOUNT, name: 'X8', extra: true }, ['extra']],
        [
          { ...SSN_COLUMNS, name: 'X9', config: { columnNameRegex: 'a', dataTypes: ['text'] } },
          ['config.dataTypes'],
        ],
      ];
      for (const [payload, fields] of cases) {
        const res = await f.call({ method: 'POST', url: '/sdd/classifier', payload });
        problem(res, 400, 'REQUEST_INVALID');
        assert.deepEqual(fieldsOf(res), fields, JSON.stringify(payload));
      }
      assert.deepEqual(await identifierNames(), before);
      assert.deepEqual(await tagNames(), tagsBefore, 'no tag was created');
    });

    it('refuses a pattern outside the portable, linear-time subset with SDD_PATTERN_INVALID naming the field and the reason', async () => {
      const nested = await f.call({
        method: 'POST',
        url: '/sdd/classifier',
        payload: {
          ...ACCOUNT,
          name: 'NESTED',
          displayName: 'Nested',
          config: { regex: '(a+)+$', tags: ['Discovered.Nested'] },
        },
      });
      problem(nested, 400, 'SDD_PATTERN_INVALID');
      assert.deepEqual(fieldsOf(nested), ['config.regex']);
      assert.match(nested.json().errors[0].detail, /exponential time: .+ \(at character 5\)$/);
      assert.match(nested.json().detail, /config\.regex/);
      const lookahead = await f.call({
        method: 'POST',
        url: '/sdd/classifier',
        payload: {
          ...SSN_COLUMNS,
          name: 'LOOKAHEAD',
          displayName: 'Lookahead',
          config: { columnNameRegex: '(?=ssn)s' },
        },
      });
      problem(lookahead, 400, 'SDD_PATTERN_INVALID');
      assert.deepEqual(fieldsOf(lookahead), ['config.columnNameRegex']);
      assert.match(lookahead.json().errors[0].detail, /Lookahead is not portable/);
      assert.ok(!(await identifierNames()).some((n) => n === 'NESTED' || n === 'LOOKAHEAD'));
      assert.ok(!(await tagNames()).includes('Discovered.Nested:discovered'), 'its tag was not created');
    });

    it('refuses a taken name or display name, built-in ones included', async () => {
      const taken = await f.call({ method: 'POST', url: '/sdd/classifier', payload: ACCOUNT });
      problem(taken, 409, 'SDD_CLASSIFIER_TAKEN');
      assert.deepEqual(fieldsOf(taken), ['name']);
      const builtin = await f.call({
        method: 'POST',
        url: '/sdd/classifier',
        payload: { ...ACCOUNT, name: 'EMAIL_ADDRESS' },
      });
      problem(builtin, 409, 'SDD_CLASSIFIER_TAKEN');
      assert.equal(builtin.json().errors[0].detail, 'is a built-in identifier');
      const display = await f.call({
        method: 'POST',
        url: '/sdd/classifier',
        payload: { ...ACCOUNT, name: 'OTHER', displayName: 'EMAIL ADDRESS' },
      });
      problem(display, 409, 'SDD_CLASSIFIER_TAKEN');
      assert.deepEqual(fieldsOf(display), ['displayName']);
    });

    it('searches built-in (type builtIn) and user identifiers together, by type and text, sorted and paged', async () => {
      const all = await f.ok<{ count: number; hits: Classifier[] }>(
        { url: '/sdd/classifier?limit=1000' },
        reader,
      );
      assert.equal(all.count, BUILTIN_IDENTIFIERS.length + 4);
      assert.deepEqual(
        all.hits.map((h) => h.name),
        [...all.hits.map((h) => h.name)].sort(),
        'sorted by name',
      );
      const email = all.hits.find((h) => h.name === 'EMAIL_ADDRESS')!;
      assert.equal(email.type, 'builtIn');
      assert.equal(email.builtIn, true);
      assert.deepEqual(email.config.tags, ['Discovered.Entity.Email Address']);
      assert.ok(email.config.regex?.startsWith('^'));
      const builtins = await f.ok<{ count: number }>({ url: '/sdd/classifier?type=builtIn' });
      assert.equal(builtins.count, BUILTIN_IDENTIFIERS.length);
      const mine = await f.ok<{ count: number; hits: Classifier[] }>({
        url: '/sdd/classifier?type=regex,dictionary',
      });
      assert.deepEqual(
        mine.hits.map((h) => h.name),
        ['ACCOUNT_NUMBER', 'DESK_LOCATION', 'HIRE_DATE'],
      );
      const text = await f.ok<{ hits: Classifier[] }>({ url: '/sdd/classifier?searchText=desk' });
      assert.deepEqual(
        text.hits.map((h) => h.name),
        ['DESK_LOCATION'],
      );
      const byDisplay = await f.ok<{ hits: Classifier[] }>({
        url: '/sdd/classifier?searchText=social%20security',
      });
      assert.ok(
        byDisplay.hits.some((h) => h.name === 'US_SSN'),
        'matches display names too',
      );
      const paged = await f.ok<{ count: number; hits: Classifier[] }>({
        url: '/sdd/classifier?sortField=name&sortOrder=desc&offSet=1&limit=2',
      });
      assert.equal(paged.count, all.count);
      assert.deepEqual(
        paged.hits.map((h) => h.name),
        [...all.hits]
          .reverse()
          .slice(1, 3)
          .map((h) => h.name),
      );
      const bad = await f.call({ url: '/sdd/classifier?type=regexp' });
      problem(bad, 400, 'REQUEST_INVALID');
    });

    it('gets one identifier, built-in or user-defined; an unknown one is SDD_CLASSIFIER_NOT_FOUND', async () => {
      const ssn = await f.ok<Classifier>({ url: '/sdd/classifier/US_SSN' }, reader);
      assert.equal(ssn.type, 'builtIn');
      assert.equal(ssn.createdBy, null);
      const desk = await f.ok<Classifier>({ url: '/sdd/classifier/DESK_LOCATION' }, reader);
      assert.equal(desk.type, 'dictionary');
      problem(await f.call({ url: '/sdd/classifier/NOPE' }), 404, 'SDD_CLASSIFIER_NOT_FOUND');
    });

    it('updates an identifier in place, but refuses renaming it', async () => {
      const res = await f.call(
        {
          method: 'PUT',
          url: '/sdd/classifier/HIRE_DATE',
          payload: {
            name: 'HIRE_DATE',
            displayName: 'Hiring date',
            type: 'regex',
            config: {
              regex: '(19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}',
              tags: ['Discovered.HR.Hiring Date'],
              caseSensitive: true,
            },
          },
        },
        governor,
      );
      assert.equal(res.statusCode, 200, res.body);
      const updated = res.json() as Classifier;
      assert.equal(updated.displayName, 'Hiring date');
      assert.equal(updated.config.canonical, '^(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}$');
      assert.deepEqual(updated.config.dataTypes, ['text'], 'a PUT replaces the whole definition');
      assert.ok((await tagNames()).includes('Discovered.HR.Hiring Date:discovered'));
      const [event] = await auditOf(f.t, res);
      assert.equal(event!.action, 'SddClassifierUpdated');
      const renamed = await f.call({
        method: 'PUT',
        url: '/sdd/classifier/HIRE_DATE',
        payload: { ...ACCOUNT, name: 'HIRED' },
      });
      problem(renamed, 400, 'REQUEST_INVALID');
      assert.deepEqual(fieldsOf(renamed), ['name']);
      const missing = await f.call({
        method: 'PUT',
        url: '/sdd/classifier/NOPE',
        payload: { ...ACCOUNT, name: 'NOPE' },
      });
      problem(missing, 404, 'SDD_CLASSIFIER_NOT_FOUND');
    });

    it('refuses to edit or delete a built-in identifier, naming it', async () => {
      const edit = await f.call({
        method: 'PUT',
        url: '/sdd/classifier/EMAIL_ADDRESS',
        payload: { ...ACCOUNT, name: 'EMAIL_ADDRESS' },
      });
      problem(edit, 400, 'SDD_BUILTIN_READ_ONLY');
      assert.deepEqual(fieldsOf(edit), ['name']);
      assert.equal(edit.json().errors[0].in, 'params');
      const del = await f.call({ method: 'DELETE', url: '/sdd/classifier/EMAIL_ADDRESS?force=true' });
      problem(del, 400, 'SDD_BUILTIN_READ_ONLY');
      const [event] = await auditOf(f.t, del);
      assert.deepEqual([event!.action, event!.action_status], ['SddClassifierDeleted', 'failure']);
    });
  });

  describe('frameworks', () => {
    it('creates a framework, copying each identifier’s tags or taking overrides, and audits it', async () => {
      const res = await f.call(
        {
          method: 'POST',
          url: '/sdd/template',
          payload: {
            name: 'FINANCE',
            displayName: 'Finance',
            description: 'Money things',
            classifiers: [
              { name: 'ACCOUNT_NUMBER' },
              {
                name: 'EMAIL_ADDRESS',
                overrides: { tags: ['Discovered.Finance.Contact'], minConfidence: 0.5 },
              },
              { name: 'DESK_LOCATION' },
            ],
          },
        },
        governor,
      );
      assert.equal(res.statusCode, 200, res.body);
      const created = res.json() as Template;
      assert.deepEqual(created.classifiers, [
        { name: 'ACCOUNT_NUMBER', overrides: { tags: ['Discovered.Finance.Account Number'] } },
        { name: 'EMAIL_ADDRESS', overrides: { tags: ['Discovered.Finance.Contact'] } },
        { name: 'DESK_LOCATION', overrides: { tags: ['Discovered.Office.Desk'] } },
      ]);
      assert.equal(created.global, false);
      assert.equal(created.builtIn, false);
      assert.ok(
        (await tagNames()).includes('Discovered.Finance.Contact:discovered'),
        'override tags are created',
      );
      const [event] = await auditOf(f.t, res);
      assert.equal(event!.action, 'SddTemplateCreated');
      assert.equal(event!.targets[0]!.name, 'FINANCE');
    });

    it('refuses unknown identifiers and bad overrides, naming classifiers[i], and creates nothing', async () => {
      const unknown = await f.call({
        method: 'POST',
        url: '/sdd/template',
        payload: {
          name: 'BROKEN',
          displayName: 'Broken',
          classifiers: [
            { name: 'ACCOUNT_NUMBER' },
            { name: 'NOPE' },
            { name: 'EMAIL_ADDRESS' },
            { name: 'ALSO_NOPE' },
          ],
        },
      });
      problem(unknown, 400, 'SDD_CLASSIFIER_UNKNOWN');
      assert.deepEqual(fieldsOf(unknown), ['classifiers[1].name', 'classifiers[3].name']);
      const twice = await f.call({
        method: 'POST',
        url: '/sdd/template',
        payload: {
          name: 'BROKEN',
          displayName: 'Broken',
          classifiers: [{ name: 'US_SSN' }, { name: 'US_SSN' }],
        },
      });
      problem(twice, 400, 'REQUEST_INVALID');
      assert.deepEqual(fieldsOf(twice), ['classifiers[1].name']);
      const badTag = await f.call({
        method: 'POST',
        url: '/sdd/template',
        payload: {
          name: 'BROKEN',
          displayName: 'Broken',
          classifiers: [{ name: 'US_SSN', overrides: { tags: ['PII.SSN'] } }],
        },
      });
      problem(badTag, 400, 'REQUEST_INVALID');
      assert.deepEqual(fieldsOf(badTag), ['classifiers[0].overrides.tags[0]']);
      for (const name of ['global', 'apply']) {
        const reserved = await f.call({
          method: 'POST',
          url: '/sdd/template',
          payload: { name, displayName: name, classifiers: [] },
        });
        problem(reserved, 400, 'REQUEST_INVALID');
        assert.deepEqual(fieldsOf(reserved), ['name']);
      }
      const taken = await f.call({
        method: 'POST',
        url: '/sdd/template',
        payload: { name: 'FINANCE', displayName: 'Other', classifiers: [] },
      });
      problem(taken, 409, 'SDD_TEMPLATE_TAKEN');
      problem(await f.call({ url: '/sdd/template/BROKEN' }), 404, 'SDD_TEMPLATE_NOT_FOUND');
    });

    it('keeps the tags a framework copied when the identifier’s tags change, and on its own updates', async () => {
      await f.ok({
        method: 'PUT',
        url: '/sdd/classifier/ACCOUNT_NUMBER',
        payload: { ...ACCOUNT, config: { ...ACCOUNT.config, tags: ['Discovered.Finance.Account'] } },
      });
      const res = await f.call(
        {
          method: 'PUT',
          url: '/sdd/template/FINANCE',
          payload: {
            name: 'FINANCE',
            displayName: 'Finance and HR',
            classifiers: [{ name: 'ACCOUNT_NUMBER' }, { name: 'HIRE_DATE' }, { name: 'SSN_COLUMNS' }],
          },
        },
        governor,
      );
      assert.equal(res.statusCode, 200, res.body);
      const updated = res.json() as Template;
      assert.equal(updated.displayName, 'Finance and HR');
      assert.deepEqual(updated.classifiers, [
        { name: 'ACCOUNT_NUMBER', overrides: { tags: ['Discovered.Finance.Account Number'] } },
        { name: 'HIRE_DATE', overrides: { tags: ['Discovered.HR.Hiring Date'] } },
        { name: 'SSN_COLUMNS', overrides: { tags: ['Discovered.Entity.Social Security Number'] } },
      ]);
      const [event] = await auditOf(f.t, res);
      assert.equal(event!.action, 'SddTemplateUpdated');
      const renamed = await f.call({
        method: 'PUT',
        url: '/sdd/template/FINANCE',
        payload: { name: 'MONEY', displayName: 'Money', classifiers: [] },
      });
      problem(renamed, 400, 'REQUEST_INVALID');
      assert.deepEqual(fieldsOf(renamed), ['name']);
    });

    it('refuses deleting an identifier a framework holds unless force, which takes it out of the framework', async () => {
      const refused = await f.call({ method: 'DELETE', url: '/sdd/classifier/HIRE_DATE' });
      problem(refused, 409, 'SDD_CLASSIFIER_IN_USE');
      assert.deepEqual(refused.json().templates, ['FINANCE']);
      assert.ok((await identifierNames()).includes('HIRE_DATE'));
      const res = await f.call({ method: 'DELETE', url: '/sdd/classifier/HIRE_DATE?force=true' }, governor);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().removedFrom, ['FINANCE']);
      assert.equal(res.json().name, 'HIRE_DATE');
      assert.ok(!(await identifierNames()).includes('HIRE_DATE'));
      const finance = await f.ok<Template>({ url: '/sdd/template/FINANCE' });
      assert.deepEqual(
        finance.classifiers.map((c) => c.name),
        ['ACCOUNT_NUMBER', 'SSN_COLUMNS'],
      );
      const [event] = await auditOf(f.t, res);
      assert.equal(event!.action, 'SddClassifierDeleted');
      assert.deepEqual(
        event!.targets.map((t) => t.type),
        ['sddClassifier', 'sddTemplate'],
      );
      await f.ok({
        method: 'POST',
        url: '/sdd/classifier',
        payload: { ...DESK, name: 'UNUSED', displayName: 'Unused' },
      });
      const unused = await f.ok<{ removedFrom: string[] }>({
        method: 'DELETE',
        url: '/sdd/classifier/UNUSED',
      });
      assert.deepEqual(unused.removedFrom, []);
    });

    it('has a built-in global framework of every built-in identifier, which cannot be edited or deleted', async () => {
      const global = await f.ok<Template>({ url: '/sdd/template/global' }, reader);
      assert.equal(global.name, 'STEWARD_DEFAULT');
      assert.equal(global.builtIn, true);
      assert.equal(global.global, true);
      assert.deepEqual(
        global.classifiers.map((c) => c.name).sort(),
        BUILTIN_IDENTIFIERS.map((i) => i.id).sort(),
      );
      const edit = await f.call({
        method: 'PUT',
        url: '/sdd/template/STEWARD_DEFAULT',
        payload: { name: 'STEWARD_DEFAULT', displayName: 'Mine', classifiers: [] },
      });
      problem(edit, 400, 'SDD_BUILTIN_READ_ONLY');
      assert.deepEqual(fieldsOf(edit), ['name']);
      const del = await f.call({ method: 'DELETE', url: '/sdd/template/STEWARD_DEFAULT?force=true' });
      problem(del, 400, 'SDD_BUILTIN_READ_ONLY');
      assert.equal(
        (await f.ok<Template>({ url: '/sdd/template/STEWARD_DEFAULT' })).displayName,
        'Steward default',
      );
    });

    it('switches the global framework, and can leave none global', async () => {
      const res = await f.call(
        { method: 'PUT', url: '/sdd/template/global', payload: { name: 'FINANCE' } },
        governor,
      );
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { name: 'FINANCE', previous: 'STEWARD_DEFAULT' });
      const [event] = await auditOf(f.t, res);
      assert.equal(event!.action, 'SddGlobalTemplateSet');
      assert.deepEqual(
        event!.targets.map((t) => t.name),
        ['FINANCE', 'STEWARD_DEFAULT'],
      );
      assert.equal((await f.ok<Template>({ url: '/sdd/template/global' })).name, 'FINANCE');
      const globals = await f.t.store.db
        .selectFrom('sdd_frameworks')
        .select('name')
        .where('is_global', '=', true)
        .execute();
      assert.deepEqual(globals, [{ name: 'FINANCE' }]);
      assert.equal((await frameworksOf(f.t.store.db, [orders])).get(orders)?.name, 'FINANCE');
      assert.deepEqual(await f.ok({ method: 'PUT', url: '/sdd/template/global', payload: { name: null } }), {
        name: null,
        previous: 'FINANCE',
      });
      problem(await f.call({ url: '/sdd/template/global' }), 404, 'SDD_TEMPLATE_NOT_FOUND');
      assert.equal((await frameworksOf(f.t.store.db, [orders])).size, 0, 'no framework applies');
      const unknown = await f.call({ method: 'PUT', url: '/sdd/template/global', payload: { name: 'NOPE' } });
      problem(unknown, 404, 'SDD_TEMPLATE_NOT_FOUND');
      assert.deepEqual(fieldsOf(unknown), ['name']);
      await f.ok({ method: 'PUT', url: '/sdd/template/global', payload: { name: 'STEWARD_DEFAULT' } });
      assert.equal((await f.ok<Template>({ url: '/sdd/template/FINANCE' })).global, false);
    });

    it('serialises concurrent switches of the global framework, leaving exactly one global', async () => {
      const names = [
        'FINANCE',
        'STEWARD_DEFAULT',
        'FINANCE',
        'STEWARD_DEFAULT',
        'FINANCE',
        'STEWARD_DEFAULT',
      ];
      const answers = await Promise.all(
        names.map((name) => f.call({ method: 'PUT', url: '/sdd/template/global', payload: { name } })),
      );
      assert.deepEqual(
        answers.map((a) => a.statusCode),
        names.map(() => 200),
        answers.map((a) => a.body).join('\n'),
      );
      await f.ok({ method: 'PUT', url: '/sdd/template/global', payload: { name: 'STEWARD_DEFAULT' } });
      const globals = await f.t.store.db
        .selectFrom('sdd_frameworks')
        .select('name')
        .where('is_global', '=', true)
        .execute();
      assert.deepEqual(globals, [{ name: 'STEWARD_DEFAULT' }]);
    });

    it('applies a framework to data sources and to a domain; the data source’s own comes first, then its domain’s', async () => {
      const domain = (
        await f.ok<{ id: number }>({ method: 'POST', url: '/domain', payload: { name: 'Sales' } })
      ).id;
      await f.ok({
        method: 'PUT',
        url: `/domain/${domain}/dataSources`,
        payload: { add: [customers, orders] },
      });
      await f.ok({
        method: 'POST',
        url: '/sdd/template',
        payload: { name: 'HR', displayName: 'HR', classifiers: [{ name: 'US_SSN' }] },
      });
      const toDomain = await f.call(
        { method: 'PUT', url: '/sdd/template/apply', payload: { name: 'FINANCE', domainIds: [domain] } },
        governor,
      );
      assert.equal(toDomain.statusCode, 200, toDomain.body);
      assert.deepEqual(toDomain.json(), { name: 'FINANCE', dataSourceIds: [], domainIds: [domain] });
      const toSources = await f.call({
        method: 'PUT',
        url: '/sdd/template/apply',
        payload: { name: 'HR', dataSourceIds: [Number(customers), employees] },
      });
      assert.equal(toSources.statusCode, 200, toSources.body);
      assert.deepEqual(
        toSources.json().dataSourceIds,
        [customers, employees],
        'numbers are accepted as the reference sends them',
      );
      const [event] = await auditOf(f.t, toSources);
      assert.equal(event!.action, 'SddTemplateApplied');
      assert.deepEqual(
        event!.targets.map((t) => `${t.type}:${t.id}`).sort(),
        [`dataSource:${customers}`, `dataSource:${employees}`, `sddTemplate:${event!.targets[0]!.id}`].sort(),
      );
      const resolved = async () => {
        const map = await frameworksOf(f.t.store.db, [customers, orders, employees]);
        return [customers, orders, employees].map((id) => map.get(id)?.name);
      };
      assert.deepEqual(await resolved(), ['HR', 'FINANCE', 'HR']);
      await f.ok({
        method: 'PUT',
        url: '/sdd/template/apply',
        payload: { name: null, dataSourceIds: [customers] },
      });
      assert.deepEqual(await resolved(), ['FINANCE', 'FINANCE', 'HR'], 'cleared: the domain’s applies');
      await f.ok({ method: 'PUT', url: '/sdd/template/apply', payload: { name: null, domainIds: [domain] } });
      assert.deepEqual(await resolved(), ['STEWARD_DEFAULT', 'STEWARD_DEFAULT', 'HR'], 'then the global one');
      await f.ok({
        method: 'PUT',
        url: '/sdd/template/apply',
        payload: { name: 'FINANCE', domainIds: [domain] },
      });
    });

    it('refuses unknown data sources, domains and frameworks in apply, naming each field, and changes nothing', async () => {
      const before = await frameworksOf(f.t.store.db, [orders]);
      const sources = await f.call({
        method: 'PUT',
        url: '/sdd/template/apply',
        payload: { name: 'HR', dataSourceIds: [orders, '999999'], domainIds: [424242] },
      });
      problem(sources, 404, 'DATASOURCE_NOT_FOUND');
      assert.deepEqual(fieldsOf(sources), ['dataSourceIds[1]']);
      const domains = await f.call({
        method: 'PUT',
        url: '/sdd/template/apply',
        payload: { name: 'HR', dataSourceIds: [orders], domainIds: [424242] },
      });
      problem(domains, 404, 'DOMAIN_NOT_FOUND');
      assert.deepEqual(fieldsOf(domains), ['domainIds[0]']);
      const template = await f.call({
        method: 'PUT',
        url: '/sdd/template/apply',
        payload: { name: 'NOPE', dataSourceIds: [orders] },
      });
      problem(template, 404, 'SDD_TEMPLATE_NOT_FOUND');
      assert.deepEqual(fieldsOf(template), ['name']);
      const empty = await f.call({ method: 'PUT', url: '/sdd/template/apply', payload: { name: 'HR' } });
      problem(empty, 400, 'REQUEST_INVALID');
      assert.deepEqual(fieldsOf(empty), ['dataSourceIds']);
      assert.equal((await frameworksOf(f.t.store.db, [orders])).get(orders)?.name, before.get(orders)?.name);
    });

    it('searches frameworks by text, sorted and paged', async () => {
      const all = await f.ok<{ count: number; hits: Template[] }>({ url: '/sdd/template' }, reader);
      assert.deepEqual(
        all.hits.map((h) => h.name),
        ['FINANCE', 'HR', 'STEWARD_DEFAULT'],
      );
      assert.equal(all.count, 3);
      const text = await f.ok<{ count: number; hits: Template[] }>({
        url: '/sdd/template?searchText=and%20hr',
      });
      assert.deepEqual(
        text.hits.map((h) => h.name),
        ['FINANCE'],
        'matches the display name',
      );
      const paged = await f.ok<{ count: number; hits: Template[] }>({
        url: '/sdd/template?sortField=displayName&sortOrder=desc&offset=1&limit=1',
      });
      assert.equal(paged.count, 3);
      assert.deepEqual(
        paged.hits.map((h) => h.name),
        ['HR'],
      );
    });

    it('refuses deleting a framework in use unless force, then its data sources fall back', async () => {
      const refused = await f.call({ method: 'DELETE', url: '/sdd/template/HR' });
      problem(refused, 409, 'SDD_TEMPLATE_IN_USE');
      assert.deepEqual(refused.json().usage, { global: false, dataSources: 1, domains: 0 });
      const res = await f.call({ method: 'DELETE', url: '/sdd/template/HR?force=true' }, governor);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().usage, { global: false, dataSources: 1, domains: 0 });
      const [event] = await auditOf(f.t, res);
      assert.equal(event!.action, 'SddTemplateDeleted');
      assert.equal((await frameworksOf(f.t.store.db, [employees])).get(employees)?.name, 'STEWARD_DEFAULT');
      await f.ok({
        method: 'POST',
        url: '/sdd/template',
        payload: { name: 'SPARE', displayName: 'Spare', classifiers: [] },
      });
      const spare = await f.ok<{ name: string }>({ method: 'DELETE', url: '/sdd/template/SPARE' });
      assert.equal(spare.name, 'SPARE');
      problem(await f.call({ method: 'DELETE', url: '/sdd/template/SPARE' }), 404, 'SDD_TEMPLATE_NOT_FOUND');
    });
  });

  it('lets any key read, and only GOVERNANCE write', async () => {
    assert.equal((await f.call({ url: '/sdd/classifier' }, reader)).statusCode, 200);
    assert.equal((await f.call({ url: '/sdd/template/FINANCE' }, reader)).statusCode, 200);
    const writes = [
      { method: 'POST', url: '/sdd/classifier', payload: { ...ACCOUNT, name: 'BY_READER' } },
      { method: 'DELETE', url: '/sdd/classifier/ACCOUNT_NUMBER' },
      { method: 'PUT', url: '/sdd/template/global', payload: { name: 'FINANCE' } },
      { method: 'PUT', url: '/sdd/template/apply', payload: { name: 'FINANCE', dataSourceIds: [orders] } },
    ] as const;
    for (const write of writes) {
      problem(await f.call({ ...write }, reader), 403, 'AUTH_FORBIDDEN');
    }
    assert.ok(!(await identifierNames()).includes('BY_READER'));
  });
});
