import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AppError } from '../../../src/errors/index.ts';
import { executeStatement } from '../../../src/platforms/databricks/index.ts';
import { FakeDatabricks } from './fake-databricks.ts';
import { connectionConfig, seedWorkspace, testPlatform } from './payloads.ts';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

describe('Databricks SQL Statement Execution (simulated Databricks REST server)', () => {
  let fake: FakeDatabricks;
  const platform = testPlatform();

  beforeEach(async () => {
    fake = await FakeDatabricks.start();
    seedWorkspace(fake);
  });
  afterEach(() => fake.close());

  it('submits to the httpPath warehouse, polls until the statement succeeds and gathers every chunk', async () => {
    const rows = [
      ['alice', '1'],
      ['bob', null],
      ['carol', '3'],
      ['dan', '4'],
      ['eve', '5'],
    ];
    const sql = 'SELECT name, n FROM main.crm.people';
    fake.statement(sql, {
      columns: [
        { name: 'name', type_name: 'STRING' },
        { name: 'n', type_name: 'INT' },
      ],
      rows,
      chunkSize: 2,
      pendingPolls: 3,
    });
    const session = await platform.connect(connectionConfig(fake));
    const result = await executeStatement(session, sql);
    assert.deepEqual(result.columns, [
      { name: 'name', typeName: 'STRING' },
      { name: 'n', typeName: 'INT' },
    ]);
    assert.deepEqual(result.rows, rows);
    assert.equal(fake.count(`/api/2.0/sql/statements/${result.statementId}`), 3);
    assert.equal(fake.requests.filter((r) => r.path.includes('/result/chunks/')).length, 2);
    assert.deepEqual(fake.submitted[0], {
      statement: sql,
      warehouse_id: 'wh1',
      wait_timeout: '30s',
      on_wait_timeout: 'CONTINUE',
      disposition: 'INLINE',
      format: 'JSON_ARRAY',
    });
  });

  it('passes named parameters, default catalog and schema through', async () => {
    const sql = 'SELECT :who';
    fake.statement(sql, { columns: [{ name: 'who', type_name: 'STRING' }], rows: [['x']], pendingPolls: 0 });
    const session = await platform.connect(connectionConfig(fake));
    const result = await executeStatement(session, sql, {
      parameters: [{ name: 'who', value: 'x' }],
      catalog: 'main',
      schema: 'crm',
    });
    assert.deepEqual(result.rows, [['x']]);
    assert.deepEqual(fake.submitted[0]?.parameters, [{ name: 'who', value: 'x' }]);
    assert.equal(fake.submitted[0]?.catalog, 'main');
    assert.equal(
      fake.count(`/api/2.0/sql/statements/${result.statementId}`),
      0,
      'no poll when the answer came at once',
    );
  });

  it("reports a failed statement as PLATFORM_ERROR with Databricks' error code and message", async () => {
    const session = await platform.connect(connectionConfig(fake));
    const error = await rejection(executeStatement(session, 'SELEC oops'));
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'PLATFORM_ERROR');
    assert.equal(
      error.detail,
      'The statement failed on Databricks (BAD_REQUEST: [PARSE_SYNTAX_ERROR] The simulated warehouse does not know this statement.).',
    );
    assert.deepEqual(error.extensions, { statementState: 'FAILED', sqlState: '42601' });
  });

  it('reports missing privileges as PLATFORM_FORBIDDEN', async () => {
    const sql = 'SELECT * FROM main.hr.salaries';
    fake.statement(sql, {
      error: {
        error_code: 'BAD_REQUEST',
        message: '[INSUFFICIENT_PERMISSIONS] User does not have SELECT on Table main.hr.salaries.',
        sql_state: '42501',
      },
    });
    const session = await platform.connect(connectionConfig(fake));
    const error = await rejection(executeStatement(session, sql));
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'PLATFORM_FORBIDDEN');
  });

  it('cancels the statement on Databricks when the caller aborts', async () => {
    const sql = 'SELECT slow()';
    fake.statement(sql, { rows: [], pendingPolls: 10_000 });
    const session = await platform.connect(connectionConfig(fake));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 50);
    const error = await rejection(executeStatement(session, sql, { signal: controller.signal }));
    assert.equal((error as Error).message, 'stop');
    assert.equal(fake.canceled.length, 1);
  });

  it('cancels a statement that runs past the statement timeout', async () => {
    const sql = 'SELECT slow()';
    fake.statement(sql, { rows: [], pendingPolls: 10_000 });
    const session = await testPlatform({ statementTimeoutMs: 100 }).connect(connectionConfig(fake));
    const error = await rejection(executeStatement(session, sql));
    assert.ok(error instanceof AppError);
    assert.equal(error.detail, 'The statement did not finish within 100 ms and was canceled.');
    assert.equal(fake.canceled.length, 1);
  });

  it('refuses to run statements when the httpPath names a cluster rather than a SQL warehouse', async () => {
    const config = connectionConfig(fake, 'token', {
      connection: { httpPath: 'sql/protocolv1/o/0/0123-456789-abc' },
    });
    const session = await platform.connect(config);
    const error = await rejection(executeStatement(session, 'SELECT 1'));
    assert.ok(error instanceof AppError);
    assert.match(
      error.detail,
      /^The httpPath \/sql\/protocolv1\/o\/0\/0123-456789-abc names no SQL warehouse/,
    );
    assert.equal(fake.submitted.length, 0);
  });
});
