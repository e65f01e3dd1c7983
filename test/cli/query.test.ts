import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type StubApi, startStubApi } from './policy-stub.ts';

const RESULT = {
  columns: ['id', 'email', 'region', 'tags'],
  rows: [
    [1, 'a3f1c2', 'US', ['vip']],
    [2, null, 'US', []],
  ],
  rowCount: 2,
  truncated: false,
};

describe('steward query against a stub API speaking the query contract', () => {
  let api: StubApi;
  let bodies: Array<{ as: string; sql: string }> = [];

  before(async () => {
    api = await startStubApi();
  });
  beforeEach(() => {
    api.reset();
    bodies = [];
    api.state.query = (body) => {
      bodies.push(body);
      if (body.sql.includes('missing_table')) {
        return {
          status: 400,
          body: { status: 400, code: 'QUERY_FAILED', detail: 'relation "missing_table" does not exist' },
        };
      }
      if (body.sql.includes('elsewhere')) {
        return {
          status: 409,
          body: {
            status: 409,
            code: 'QUERY_UNAVAILABLE',
            detail: 'Queries can only be run in the embedded demo warehouse.',
          },
        };
      }
      if (body.sql.includes('many'))
        return { status: 200, body: { ...RESULT, rowCount: 1000, truncated: true } };
      if (body.sql.includes('nothing')) return { status: 200, body: { ...RESULT, rows: [], rowCount: 0 } };
      return { status: 200, body: RESULT };
    };
  });
  after(async () => {
    await api?.close();
  });

  test('prints the rows as a table with NULL for nulls and a row count, sending {as, sql}', async () => {
    const run = await api.run(['query', '--as', 'alice', 'SELECT * FROM sales.customers']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      'id  email   region  tags\n' +
        '1   a3f1c2  US      ["vip"]\n' +
        '2   NULL    US      []\n' +
        '(2 rows)\n',
    );
    assert.equal(run.stderr, '');
    assert.deepEqual(bodies, [{ as: 'alice', sql: 'SELECT * FROM sales.customers' }]);
  });

  test('reads the SQL from stdin when the argument is -', async () => {
    const sql = 'SELECT email\n  FROM sales.customers;\n';
    const run = await api.run(['query', '--as', 'bob', '-'], { stdin: sql });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(bodies, [{ as: 'bob', sql }]);
  });

  test('notes truncation on stderr, prints headers for an empty result, and --json prints the raw result', async () => {
    const many = await api.run(['query', '--as', 'alice', 'SELECT many']);
    assert.equal(many.code, 0, many.stderr);
    assert.match(many.stdout, /^\(1000 rows\)$/m);
    assert.equal(many.stderr, '(truncated: the server returned only the first 2 rows)\n');

    const none = await api.run(['query', '--as', 'alice', 'SELECT nothing']);
    assert.equal(none.stdout, 'id  email  region  tags\n(0 rows)\n');

    const json = await api.run(['query', '--as', 'alice', 'SELECT 1', '--json']);
    assert.deepEqual(JSON.parse(json.stdout), RESULT);
  });

  test('shows the problem detail and exits 1 when the query fails or cannot run', async () => {
    const failed = await api.run(['query', '--as', 'alice', 'SELECT * FROM missing_table']);
    assert.equal(failed.code, 1);
    assert.equal(failed.stdout, '');
    assert.equal(failed.stderr, 'error: relation "missing_table" does not exist\n');

    const unavailable = await api.run(['query', '--as', 'alice', 'SELECT elsewhere']);
    assert.equal(unavailable.code, 1);
    assert.equal(unavailable.stderr, 'error: Queries can only be run in the embedded demo warehouse.\n');
  });

  test('empty SQL and a missing --as are usage errors that reach no server', async () => {
    const empty = await api.run(['query', '--as', 'alice', '-'], { stdin: '  \n' });
    assert.equal(empty.code, 2);
    assert.equal(empty.stderr, 'error: the SQL is empty\n');
    const noUser = await api.run(['query', 'SELECT 1']);
    assert.equal(noUser.code, 2);
    assert.match(noUser.stderr, /required option '--as <username>' not specified/);
    assert.deepEqual(api.requests, []);
  });
});
