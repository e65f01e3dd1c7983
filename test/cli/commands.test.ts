import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { enqueueJobs } from '../../src/jobs/queue.ts';
import { type CliHarness, closedPortUrl, startCliHarness } from './cli-harness.ts';

describe('steward commands against a running server', () => {
  let h: CliHarness;
  let nowhere = '';
  let createdKey = '';

  before(async () => {
    h = await startCliHarness();
    nowhere = await closedPortUrl();
    const configured = await h.run(['configure', '--url', h.server.url, '--key', h.adminKey]);
    assert.equal(configured.code, 0, configured.stderr);
  });
  after(async () => {
    await h?.close();
  });

  test('whoami prints the user, and JSON with --json', async () => {
    const text = await h.run(['whoami']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^user: +admin$/m);
    const json = await h.run(['whoami', '--json']);
    assert.equal(JSON.parse(json.stdout).username, 'admin');
  });

  test('apikey create shows the new key once, and ls and revoke manage it', async () => {
    const created = await h.run(['apikey', 'create', 'ci pipeline', '--expires-in-days', '30']);
    assert.equal(created.code, 0, created.stderr);
    const key = /\n {2}(stw_\w+)\n/.exec(created.stdout)?.[1];
    assert.ok(key, created.stdout);
    createdKey = key;
    const id = Number(/Created API key (\d+) "ci pipeline", expires /.exec(created.stdout)?.[1]);
    assert.ok(id > 0, created.stdout);

    const listed = await h.run(['apikey', 'ls']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^ID +NAME +PREFIX +STATUS/);
    assert.match(listed.stdout, new RegExp(`^${id} +ci pipeline +${key.slice(0, 10)} +active`, 'm'));
    const listedJson = JSON.parse((await h.run(['apikey', 'ls', '--json'])).stdout);
    assert.ok(listedJson.some((k: { id: number }) => k.id === id));

    const revoked = await h.run(['apikey', 'revoke', String(id)]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout, `Revoked API key ${id} "ci pipeline".\n`);
    const withRevokedKey = await h.run(['whoami', '--api-key', key]);
    assert.equal(withRevokedKey.code, 1);
    assert.match(withRevokedKey.stderr, /^error: The API key is invalid, expired or revoked$/m);
  });

  test('apikey create --json includes the key', async () => {
    const run = await h.run(['apikey', 'create', 'json key', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const created = JSON.parse(run.stdout);
    assert.equal(created.name, 'json key');
    assert.match(created.key, /^stw_/);
    assert.equal((await h.run(['apikey', 'revoke', String(created.id), '--json'])).code, 0);
  });

  test('exits 1 with the problem detail when the API answers with an error', async () => {
    const run = await h.run(['apikey', 'revoke', '999999']);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, 'error: There is no API key with id 999999.\n');
  });

  test('prints each offending field of a validation problem', async () => {
    const run = await h.run(['apikey', 'create', '   ']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^error: /m);
    assert.match(run.stderr, /^ {2}name: /m);
  });

  test('audit ls lists events and filters them, as a table or JSON', async () => {
    const table = await h.run(['audit', 'ls', '--action', 'ApiKeyCreated', '--limit', '5']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^TIME +ACTOR +ACTION +STATUS +TARGETS$/m);
    assert.match(table.stdout, /admin +ApiKeyCreated +success/);
    const json = JSON.parse(
      (await h.run(['audit', 'ls', '--json', '--status', 'success', '--since', '2000-01-01'])).stdout,
    );
    assert.ok(Array.isArray(json.events) && json.events.length > 0);
    assert.ok(json.events.every((e: { actionStatus: string }) => e.actionStatus === 'success'));
    const future = JSON.parse((await h.run(['audit', 'ls', '--json', '--since', '2999-01-01'])).stdout);
    assert.deepEqual(future.events, []);
  });

  test('jobs ls, get, summary and cancel show the jobs of the server', async () => {
    const db = h.server.deps.store.db;
    const later = new Date(Date.now() + 3_600_000);
    const { bulkId, jobIds } = await enqueueJobs(
      db,
      [
        { type: 'cli-test-steps', runAfter: later },
        { type: 'cli-test-steps', runAfter: later },
      ],
      { createdBy: 1 },
    );
    const listed = await h.run([
      'jobs',
      'ls',
      '--bulk-id',
      bulkId,
      '--state',
      'created',
      '--type',
      'cli-test-steps',
    ]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^ID +TYPE +STATE +PROGRESS/);
    for (const id of jobIds) assert.match(listed.stdout, new RegExp(`^${id} +cli-test-steps +created`, 'm'));
    const none = JSON.parse(
      (await h.run(['jobs', 'ls', '--bulk-id', bulkId, '--state', 'failed', '--json'])).stdout,
    );
    assert.deepEqual(none.jobs, []);

    const got = await h.run(['jobs', 'get', jobIds[0]!]);
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stdout, new RegExp(`^bulk id: +${bulkId}$`, 'm'));
    assert.equal(JSON.parse((await h.run(['jobs', 'get', jobIds[0]!, '--json'])).stdout).id, jobIds[0]);

    const summary = JSON.parse((await h.run(['jobs', 'summary', '--json'])).stdout);
    assert.ok(summary['cli-test-steps'].created >= 2);
    const summaryText = await h.run(['jobs', 'summary']);
    assert.match(summaryText.stdout, /^TYPE +.*TOTAL$/m);

    const cancelOne = await h.run(['jobs', 'cancel', jobIds[0]!]);
    assert.equal(cancelOne.code, 0, cancelOne.stderr);
    assert.match(cancelOne.stdout, new RegExp(`Cancelled 1 job:\\n {2}${jobIds[0]}`));
    const cancelBulk = JSON.parse((await h.run(['jobs', 'cancel', '--bulk-id', bulkId, '--json'])).stdout);
    assert.deepEqual(cancelBulk.cancelled, [jobIds[1]]);
  });

  test('jobs get of an unknown job exits 1 with the problem detail', async () => {
    const run = await h.run(['jobs', 'get', '00000000-0000-4000-8000-000000000000']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^error: There is no job with id 00000000-0000-4000-8000-000000000000\.$/m);
  });

  test('exits 2 for bad usage: unknown command or option, missing argument, invalid value', async () => {
    const cases = [
      ['frobnicate'],
      [],
      ['jobs'],
      ['whoami', '--bogus'],
      ['apikey', 'create'],
      ['apikey', 'revoke', 'abc'],
      ['jobs', 'wait', '00000000-0000-4000-8000-000000000000', '--timeout', 'soon'],
      ['jobs', 'wait', 'not-a-uuid'],
      ['jobs', 'ls', '--state', 'sleeping'],
      ['jobs', 'cancel'],
      ['audit', 'ls', '--since', 'yesterday'],
      ['audit', 'ls', '--limit', '0'],
      ['--url', 'ftp://example.com', 'whoami'],
    ];
    for (const args of cases) {
      const run = await h.run(args);
      assert.equal(run.code, 2, `steward ${args.join(' ')}: ${run.stderr}`);
      assert.ok(run.stderr.length > 0, `steward ${args.join(' ')} explains the usage error`);
    }
  });

  test('exits 0 for --help and --version', async () => {
    const help = await h.run(['jobs', 'wait', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: steward jobs wait/);
    assert.equal((await h.run(['--version'])).code, 0);
  });

  test('reports an unreachable server by URL with exit 1', async () => {
    const run = await h.run(['whoami', '--url', nowhere]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      new RegExp(`^error: cannot reach the Steward server at ${nowhere} \\(ECONNREFUSED\\)$`, 'm'),
    );
  });

  test('never prints an API key except in the one-time display of apikey create', () => {
    assert.ok(createdKey !== '');
    for (const run of h.runs) {
      assert.ok(!run.stdout.includes(h.adminKey) && !run.stderr.includes(h.adminKey));
      const oneTime = run.stdout.includes('The key is shown only this once');
      if (!oneTime) assert.ok(!run.stdout.includes(createdKey) && !run.stderr.includes(createdKey));
    }
  });
});
