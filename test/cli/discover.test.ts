import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createEmbeddedWarehouse, platformsFor, type TestWarehouse } from '../support/warehouse.ts';
import { asAdmin, type CliHarness, type CliRun, startCliHarness } from './cli-harness.ts';
import { type StubAnswer, type StubRequest, type StubServer, startStubServer } from './stub-server.ts';

describe('steward discover identifiers and frameworks against a real server', () => {
  let wh: TestWarehouse;
  let h: CliHarness;
  let root = '';
  let customers = '';
  const steward = (args: readonly string[]) => h.run([...args, ...asAdmin(h)]);
  const api = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> => {
    const res = await fetch(`${h.server.url}${path}`, {
      method,
      headers: { authorization: h.adminKey, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status}`);
    return (await res.json()) as T;
  };
  const ok = (run: CliRun) => {
    assert.equal(run.code, 0, run.stderr);
    return run.stdout;
  };

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'steward-discover-'));
    wh = await createEmbeddedWarehouse();
    await wh.exec('CREATE SCHEMA sales; CREATE TABLE sales.customers (id bigint, email text);');
    h = await startCliHarness({ platforms: platformsFor(wh) });
    const { bulkId } = await api<{ bulkId: string }>('POST', '/data/connection', {
      connectionKey: 'wh',
      connection: wh.connection,
    });
    ok(await steward(['jobs', 'wait', bulkId]));
    customers = (await api<{ dataSourceId: string }>('GET', `/data/object/wh/${wh.database}/sales/customers`))
      .dataSourceId;
  });
  after(async () => {
    await h?.close();
    await wh?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  test('identifiers lists the built-in pack, filtered by type and text', async () => {
    const out = ok(await steward(['discover', 'identifiers', '--type', 'builtIn', '--search', 'email']));
    assert.match(out, /^NAME +TYPE +DISPLAY NAME +TAGS$/m);
    assert.match(out, /^EMAIL_ADDRESS +builtIn +Email address +Discovered\.Entity\.Email Address$/m);
    const json = JSON.parse(
      ok(await steward(['discover', 'identifiers', 'ls', '--type', 'regex', '--json'])),
    );
    assert.deepEqual(json, { count: 0, hits: [] });
  });

  test('identifiers create builds the body from flags, and show prints the rule and its anchored form', async () => {
    const created = ok(
      await steward([
        'discover',
        'identifiers',
        'create',
        '--name',
        'ACCOUNT_NUMBER',
        '--display-name',
        'Account number',
        '--regex',
        '[0-9]{9}-[0-9]{3}',
        '--tags',
        'Discovered.Finance.Account,Discovered.Finance.Bank',
        '--case-sensitive',
      ]),
    );
    assert.equal(
      created,
      'Created identifier ACCOUNT_NUMBER (regex), applying Discovered.Finance.Account, Discovered.Finance.Bank.\n',
    );
    const shown = ok(await steward(['discover', 'identifiers', 'show', 'ACCOUNT_NUMBER']));
    assert.match(shown, /^Regex: +\[0-9\]\{9\}-\[0-9\]\{3\}$/m);
    assert.match(shown, /^Evaluated as: +\^\[0-9\]\{9\}-\[0-9\]\{3\}\$$/m);
    assert.match(shown, /^Case-sensitive: +yes$/m);
    const json = JSON.parse(
      ok(await steward(['discover', 'identifiers', 'show', 'ACCOUNT_NUMBER', '--json'])),
    );
    assert.deepEqual(json.config.tags, ['Discovered.Finance.Account', 'Discovered.Finance.Bank']);
  });

  test('identifiers create reads a YAML spec, flags overriding it', async () => {
    const file = join(root, 'desk.yaml');
    writeFileSync(
      file,
      'name: DESK\ndisplayName: Desk\ntype: dictionary\nconfig:\n  values: [Blue Room, Red Room]\n  tags: [Discovered.Office.Desk]\n',
    );
    ok(
      await steward([
        'discover',
        'identifiers',
        'create',
        '--file',
        file,
        '--description',
        'Rooms',
        '--json',
      ]),
    );
    const desk = await api<{ type: string; description: string; config: { values: string[] } }>(
      'GET',
      '/sdd/classifier/DESK',
    );
    assert.equal(desk.type, 'dictionary');
    assert.equal(desk.description, 'Rooms');
    assert.deepEqual(desk.config.values, ['Blue Room', 'Red Room']);
  });

  test('identifiers create reports a refused pattern with its field and exits 1; bad usage exits 2', async () => {
    const refused = await steward([
      'discover',
      'identifiers',
      'create',
      '--name',
      'NESTED',
      '--regex',
      '(a+)+$',
      '--tags',
      'Discovered.X',
    ]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^error: The pattern of config\.regex is refused/m);
    assert.match(refused.stderr, /^ {2}config\.regex: Nested quantifiers/m);
    const tagged = await steward([
      'discover',
      'identifiers',
      'create',
      '--name',
      'BAD_TAG',
      '--regex',
      'a',
      '--tags',
      'PII',
    ]);
    assert.equal(tagged.code, 1);
    assert.match(tagged.stderr, /config\.tags\[0\]: must begin with Discovered\./);
    const both = await steward([
      'discover',
      'identifiers',
      'create',
      '--name',
      'X',
      '--regex',
      'a',
      '--values',
      'b',
    ]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /give only one of --regex, --column-name-regex and --values/);
    const none = await steward(['discover', 'identifiers', 'create', '--name', 'X']);
    assert.equal(none.code, 2);
  });

  test('frameworks create, ls and show; apply to a data source and a domain; global switches', async () => {
    ok(
      await steward([
        'discover',
        'frameworks',
        'create',
        '--name',
        'FINANCE',
        '--display-name',
        'Finance',
        '--identifiers',
        'ACCOUNT_NUMBER,EMAIL_ADDRESS',
      ]),
    );
    const listed = ok(await steward(['discover', 'frameworks']));
    assert.match(listed, /^FINANCE +Finance +2 +- +-$/m);
    assert.match(listed, /^STEWARD_DEFAULT +Steward default +\d+ +yes +yes$/m);
    const shown = ok(await steward(['discover', 'frameworks', 'show', 'FINANCE']));
    assert.match(shown, /^ACCOUNT_NUMBER +Discovered\.Finance\.Account, Discovered\.Finance\.Bank$/m);
    const applied = ok(
      await steward(['discover', 'frameworks', 'apply', 'FINANCE', '--data-source', customers]),
    );
    assert.equal(applied, `Assigned framework FINANCE to data source(s) ${customers}.\n`);
    const domain = await api<{ id: number }>('POST', '/domain', { name: 'Finance' });
    const toDomain = JSON.parse(
      ok(
        await steward([
          'discover',
          'frameworks',
          'apply',
          'FINANCE',
          '--domain',
          String(domain.id),
          '--json',
        ]),
      ),
    );
    assert.deepEqual(toDomain, { name: 'FINANCE', dataSourceIds: [], domainIds: [domain.id] });
    const cleared = ok(
      await steward(['discover', 'frameworks', 'apply', '--none', '--data-source', customers]),
    );
    assert.equal(cleared, `Cleared the framework of data source(s) ${customers}.\n`);
    const unknown = await steward(['discover', 'frameworks', 'apply', 'FINANCE', '--data-source', '999999']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /dataSourceIds\[0\]: is not a data source/);
    assert.equal((await steward(['discover', 'frameworks', 'apply', 'FINANCE'])).code, 2);
    assert.equal(
      ok(await steward(['discover', 'frameworks', 'global', 'FINANCE'])),
      'FINANCE is the global framework (was STEWARD_DEFAULT).\n',
    );
    assert.match(ok(await steward(['discover', 'frameworks', 'global'])), /^Name: +FINANCE$/m);
    assert.equal(
      ok(await steward(['discover', 'frameworks', 'global', '--none'])),
      'No framework is global now (was FINANCE).\n',
    );
    const none = await steward(['discover', 'frameworks', 'global']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /No framework is global/);
    ok(await steward(['discover', 'frameworks', 'global', 'STEWARD_DEFAULT']));
  });

  test('delete refuses what is in use unless --force', async () => {
    const identifier = await steward(['discover', 'identifiers', 'delete', 'ACCOUNT_NUMBER']);
    assert.equal(identifier.code, 1);
    assert.match(identifier.stderr, /FINANCE.*force=true/);
    assert.equal(
      ok(await steward(['discover', 'identifiers', 'delete', 'ACCOUNT_NUMBER', '--force'])),
      'Deleted identifier ACCOUNT_NUMBER; taken out of FINANCE.\n',
    );
    const framework = await steward(['discover', 'frameworks', 'delete', 'FINANCE']);
    assert.equal(framework.code, 1, 'still assigned to the domain');
    assert.match(framework.stderr, /assigned to 1 domain/);
    assert.equal(
      ok(await steward(['discover', 'frameworks', 'delete', 'FINANCE', '--force'])),
      'Deleted framework FINANCE.\n',
    );
    const builtin = await steward(['discover', 'frameworks', 'delete', 'STEWARD_DEFAULT', '--force']);
    assert.equal(builtin.code, 1);
    assert.match(builtin.stderr, /built-in framework/);
  });
});

const BULK = '11111111-1111-4111-8111-111111111111';
const JOB = '22222222-2222-4222-8222-222222222222';

const job = (state: string) => ({
  id: JOB,
  bulkId: BULK,
  type: 'discovery',
  state,
  output: { dataSources: 2 },
  progress: { done: 2, total: 2 },
  attempts: 1,
  maxAttempts: 3,
  error: state === 'failed' ? 'the warehouse went away' : null,
  createdBy: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  startedAt: '2026-01-01T00:00:00.000Z',
  completedAt: '2026-01-01T00:00:01.000Z',
  runAfter: '2026-01-01T00:00:00.000Z',
});

const ITEMS = [
  {
    item: '7',
    status: 'succeeded',
    detail: {
      framework: 'STEWARD_DEFAULT',
      columns: [
        {
          column: 'email',
          identifier: 'EMAIL_ADDRESS',
          tags: ['Discovered.Entity.Email Address'],
          added: ['Discovered.Entity.Email Address'],
          removed: [],
          rejected: [],
        },
        {
          column: 'id',
          identifier: null,
          tags: [],
          added: [],
          removed: ['Discovered.Entity.Age'],
          rejected: [],
        },
      ],
    },
    recordedAt: '2026-01-01T00:00:01.000Z',
  },
  {
    item: '8',
    status: 'skipped',
    detail: { reason: 'No discovery framework applies to this data source.' },
    recordedAt: '2026-01-01T00:00:01.000Z',
  },
];

describe('steward discover run, results, confirm and reject against a stub of the discovery routes', () => {
  let stub: StubServer;
  const received = () => stub.requests;
  let jobState = 'completed';

  const answer = (req: StubRequest): StubAnswer => {
    if (req.method === 'POST' && req.path === '/sdd/run') {
      return {
        status: 200,
        body: { bulkId: BULK, jobs: [{ id: JOB, connectionKey: 'wh', dataSources: 2 }], dataSources: 2 },
      };
    }
    if (req.method === 'GET' && req.path === '/jobs') return { status: 200, body: [job(jobState)] };
    if (req.method === 'GET' && req.path === `/jobs/${JOB}/items`)
      return { status: 200, body: { items: ITEMS, next: null } };
    if (req.method === 'GET' && req.path === '/dataSource/7/discovery') {
      const column = (name: string, identifier: string | null, tags: string[], review: unknown[]) => ({
        column: name,
        identifier,
        tags,
        nameMatches: name === 'email' ? ['EMAIL_COLUMN'] : [],
        hitRates: identifier ? { [identifier]: 0.975 } : {},
        sampled: 400,
        evaluatedIn: 'platform',
        framework: 'STEWARD_DEFAULT',
        discoveredAt: '2026-01-01T00:00:01.000Z',
        review,
      });
      return {
        status: 200,
        body: {
          dataSourceId: '7',
          columns: [
            column(
              'email',
              'EMAIL_ADDRESS',
              ['Discovered.Entity.Email Address'],
              [{ tag: 'Discovered.Entity.Email Address', status: 'active', confirmed: true }],
            ),
            column('age', null, [], [{ tag: 'Discovered.Entity.Age', status: 'rejected', confirmed: false }]),
          ],
        },
      };
    }
    const review = /^\/sdd\/tags\/(confirm|reject)$/.exec(req.path);
    if (req.method === 'POST' && review) {
      const body = req.body as { dataSourceId: string; column: string; tag: string };
      return {
        status: 200,
        body: {
          ...body,
          status: review[1] === 'confirm' ? 'active' : 'rejected',
          confirmed: review[1] === 'confirm',
        },
      };
    }
    return {
      status: 404,
      body: {
        type: 'about:blank',
        title: 'Not found',
        status: 404,
        code: 'ROUTE_NOT_FOUND',
        detail: 'No such route.',
      },
    };
  };

  const steward = (args: readonly string[]): Promise<CliRun> => stub.run(args);
  const runBodies = () =>
    received()
      .filter((r) => r.path === '/sdd/run')
      .map((r) => r.body);

  before(async () => {
    stub = await startStubServer(answer);
  });
  beforeEach(() => {
    stub.requests.length = 0;
    jobState = 'completed';
  });
  after(async () => {
    await stub.close();
  });

  test('run sends exactly one scope with the mode, dry run and framework asked for', async () => {
    await steward(['discover', 'run', '--data-source', '4,5', '--data-source', '6', '--no-wait']);
    await steward([
      'discover',
      'run',
      '--connection',
      'wh',
      '--new-columns',
      '--dry-run',
      '--framework',
      'FIN',
      '--no-wait',
    ]);
    await steward(['discover', 'run', '--path', 'wh/db/sa\\/les', '--no-wait']);
    assert.deepEqual(runBodies(), [
      { dataSourceIds: ['4', '5', '6'], mode: 'all', dryRun: false },
      { connectionKey: 'wh', mode: 'newColumns', dryRun: true, template: 'FIN' },
      { objectPath: ['wh', 'db', 'sa/les'], mode: 'all', dryRun: false },
    ]);
  });

  test('run refuses no scope, two scopes or a bad id as usage errors, sending nothing', async () => {
    const none = await steward(['discover', 'run']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /give exactly one of --data-source, --connection and --path/);
    const two = await steward(['discover', 'run', '--connection', 'wh', '--path', 'wh/db']);
    assert.equal(two.code, 2);
    const bad = await steward(['discover', 'run', '--data-source', 'abc']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /expected a data source id/);
    assert.deepEqual(received(), []);
  });

  test('run --no-wait prints the bulk id and does not follow it', async () => {
    const run = await steward(['discover', 'run', '--connection', 'wh', '--no-wait']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      `Discovery of 2 data source(s) started (bulk ${BULK}); follow it with: steward jobs wait ${BULK}\n`,
    );
    assert.deepEqual(
      received().map((r) => r.path),
      ['/sdd/run'],
    );
    const json = await steward(['discover', 'run', '--connection', 'wh', '--no-wait', '--json']);
    assert.equal(JSON.parse(json.stdout).bulkId, BULK);
  });

  test('run follows the bulk, then prints per data source the columns and tag changes', async () => {
    const run = await steward(['discover', 'run', '--data-source', '7,8']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /1\/1 jobs finished \(1 completed\)/, 'plain progress lines off a terminal');
    assert.match(run.stdout, /^Data source 7: succeeded, framework STEWARD_DEFAULT$/m);
    assert.match(run.stdout, /^COLUMN +IDENTIFIER +TAGS +ADDED +REMOVED +REJECTED$/m);
    assert.match(
      run.stdout,
      /^email +EMAIL_ADDRESS +Discovered\.Entity\.Email Address +Discovered\.Entity\.Email Address +- +-$/m,
    );
    assert.match(run.stdout, /^id +- +- +- +Discovered\.Entity\.Age +-$/m);
    assert.match(
      run.stdout,
      /^Data source 8: skipped \(No discovery framework applies to this data source\.\)$/m,
    );
    assert.deepEqual(received().find((r) => r.path === '/jobs')?.query, {
      bulkId: BULK,
      offset: '0',
      size: '1000',
    });
    const dry = await steward(['discover', 'run', '--data-source', '7', '--dry-run']);
    assert.match(dry.stdout, /^COLUMN +IDENTIFIER +TAGS +WOULD ADD +WOULD REMOVE +REJECTED$/m);
  });

  test('run --json prints the jobs with their items', async () => {
    const run = await steward(['discover', 'run', '--connection', 'wh', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.equal(out.bulkId, BULK);
    assert.equal(out.dryRun, false);
    assert.equal(out.jobs[0].state, 'completed');
    assert.deepEqual(out.jobs[0].items, ITEMS);
  });

  test('run exits 1 when a job failed', async () => {
    jobState = 'failed';
    const run = await steward(['discover', 'run', '--connection', 'wh']);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      new RegExp(`error: discovery did not complete: job ${JOB} failed: the warehouse went away`),
    );
  });

  test('results prints a table of what discovery found, with reviews', async () => {
    const run = await steward(['discover', 'results', '7']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^COLUMN +IDENTIFIER +HIT RATE +SAMPLED +NAME MATCHES +TAGS +IN +FRAMEWORK$/m);
    assert.match(
      run.stdout,
      /^email +EMAIL_ADDRESS +97\.5% +400 +EMAIL_COLUMN +Discovered\.Entity\.Email Address \(confirmed\) +platform +STEWARD_DEFAULT$/m,
    );
    assert.match(run.stdout, /^age +- +- +400 +- +Discovered\.Entity\.Age \(rejected\) +platform/m);
    const json = await steward(['discover', 'results', '7', '--json']);
    assert.equal(JSON.parse(json.stdout).dataSourceId, '7');
    assert.equal((await steward(['discover', 'results', 'seven'])).code, 2);
  });

  test('confirm and reject post the data source, column and tag', async () => {
    const confirmed = await steward(['discover', 'confirm', '7', 'email', 'Discovered.Entity.Email Address']);
    assert.equal(confirmed.code, 0, confirmed.stderr);
    assert.equal(
      confirmed.stdout,
      'Confirmed Discovered.Entity.Email Address on column email of data source 7.\n',
    );
    const rejected = await steward(['discover', 'reject', '7', 'age', 'Discovered.Entity.Age', '--json']);
    assert.equal(JSON.parse(rejected.stdout).status, 'rejected');
    assert.deepEqual(
      received().map((r) => [r.method, r.path, r.body]),
      [
        [
          'POST',
          '/sdd/tags/confirm',
          { dataSourceId: '7', column: 'email', tag: 'Discovered.Entity.Email Address' },
        ],
        ['POST', '/sdd/tags/reject', { dataSourceId: '7', column: 'age', tag: 'Discovered.Entity.Age' }],
      ],
    );
  });
});
