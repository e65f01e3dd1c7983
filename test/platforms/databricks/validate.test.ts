import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ValidationTest } from '../../../src/platforms/platform.ts';
import { FakeDatabricks } from './fake-databricks.ts';
import { CLIENT_SECRET, connectionConfig, PAT, PRINCIPAL, seedWorkspace, testPlatform } from './payloads.ts';

const NAMES = [
  'Basic Connection Test',
  'Credentials',
  'Warehouse',
  'Steward Catalog Present',
  'Privileges',
  'Audit Tables Readable',
];

function statuses(tests: readonly ValidationTest[]): string[] {
  return tests.map((t) => `${t.name}: ${t.status}`);
}

function resultOf(tests: readonly ValidationTest[], name: string): string {
  return tests.find((t) => t.name === name)?.result ?? '';
}

describe('Databricks validation tests (simulated Databricks REST server)', () => {
  let fake: FakeDatabricks;
  const platform = testPlatform();

  beforeEach(async () => {
    fake = await FakeDatabricks.start();
    seedWorkspace(fake);
  });
  afterEach(() => fake.close());

  it('passes every test for a good token configuration, in order, with clear results', async () => {
    const tests = await platform.validate(connectionConfig(fake, 'token'));
    assert.deepEqual(
      tests.map((t) => t.name),
      NAMES,
    );
    assert.deepEqual(
      tests.map((t) => [t.status, t.result]),
      [
        ['passed', `Reached http://127.0.0.1:${fake.port}.`],
        ['passed', `Signed in as ${PRINCIPAL} with the personal access token.`],
        ['passed', 'Ran SELECT 1 on SQL warehouse wh1.'],
        ['passed', 'The catalog steward exists.'],
        ['passed', `${PRINCIPAL} owns the catalog steward.`],
        ['passed', `${PRINCIPAL} can read system.access.audit.`],
      ],
    );
  });

  it('passes every test for a good OAuth M2M configuration', async () => {
    const tests = await platform.validate(connectionConfig(fake, 'oAuthM2M'));
    assert.ok(
      tests.every((t) => t.status === 'passed'),
      JSON.stringify(tests),
    );
    assert.equal(fake.tokensIssued, 1, 'one token served every test');
  });

  it('fails Credentials for a wrong token and skips what depends on it, without the token in any result', async () => {
    const tests = await platform.validate(
      connectionConfig(fake, 'token', { connection: { token: 'dapiWRONG000' } }),
    );
    assert.deepEqual(statuses(tests), [
      'Basic Connection Test: passed',
      'Credentials: failed',
      'Warehouse: skipped',
      'Steward Catalog Present: skipped',
      'Privileges: skipped',
      'Audit Tables Readable: skipped',
    ]);
    assert.equal(
      resultOf(tests, 'Credentials'),
      'Databricks refused the personal access token (401 UNAUTHENTICATED: Invalid access token.).',
    );
    assert.equal(resultOf(tests, 'Warehouse'), 'Skipped: the credentials were not accepted.');
    assert.ok(!JSON.stringify(tests).includes('dapiWRONG') && !JSON.stringify(tests).includes(PAT));
  });

  it('fails Credentials for a wrong client secret without the secret in any result', async () => {
    const config = connectionConfig(fake, 'oAuthM2M', {
      connection: { oAuthClientConfig: { clientId: PRINCIPAL, clientSecret: 'wrong-secret-123' } },
    });
    const tests = await platform.validate(config);
    assert.equal(tests[1]!.status, 'failed');
    assert.match(tests[1]!.result!, /refused client .* \(401 invalid_client/);
    assert.ok(
      !JSON.stringify(tests).includes('wrong-secret-123') && !JSON.stringify(tests).includes(CLIENT_SECRET),
    );
  });

  it('fails the basic test for an unreachable host (closed port) and skips the rest', async () => {
    const port = fake.port;
    await fake.close();
    const tests = await platform.validate(connectionConfig(fake, 'token'));
    assert.deepEqual(tests[0], {
      name: 'Basic Connection Test',
      status: 'failed',
      result: `Could not reach http://127.0.0.1:${port}: connection refused.`,
    });
    assert.ok(
      tests
        .slice(1)
        .every((t) => t.status === 'skipped' && t.result === 'Skipped: the host could not be reached.'),
    );
    fake = await FakeDatabricks.start();
  });

  it('skips the audit test when audit is disabled, saying so', async () => {
    const tests = await platform.validate(connectionConfig(fake, 'token', { audit: false }));
    assert.deepEqual(tests.at(-1), {
      name: 'Audit Tables Readable',
      status: 'skipped',
      result: 'Skipped: query audit is disabled (nativeIntegration.config.audit.enabled is false).',
    });
    assert.equal(fake.submitted.filter((s) => String(s.statement).includes('system.access.audit')).length, 0);
  });

  it('fails when the Steward catalog is missing and skips the privilege check', async () => {
    const tests = await platform.validate(connectionConfig(fake, 'token', { catalog: 'not_yet' }));
    assert.equal(
      resultOf(tests, 'Steward Catalog Present'),
      'The catalog not_yet does not exist: run the script from POST /integrations/scripts/create, then test again.',
    );
    assert.deepEqual(tests[4], {
      name: 'Privileges',
      status: 'skipped',
      result: 'Skipped: the catalog not_yet is not available.',
    });
  });

  it('checks the effective privileges of a principal that does not own the catalog', async () => {
    fake.catalogs.get('steward')!.owner = 'admin@example.com';
    fake.permissions.set('steward', new Map([[PRINCIPAL, ['USE_CATALOG', 'SELECT']]]));
    const lacking = await platform.validate(connectionConfig(fake, 'token'));
    assert.equal(lacking[4]!.status, 'failed');
    assert.equal(
      lacking[4]!.result,
      `${PRINCIPAL} lacks USE SCHEMA, MODIFY on the catalog steward; run the script from POST /integrations/scripts/create.`,
    );
    fake.permissions.set('steward', new Map([[PRINCIPAL, ['ALL_PRIVILEGES']]]));
    const granted = await platform.validate(connectionConfig(fake, 'token'));
    assert.deepEqual(granted[4], {
      name: 'Privileges',
      status: 'passed',
      result: `${PRINCIPAL} can use the catalog steward.`,
    });
  });

  it('fails the audit test when the system tables are not readable', async () => {
    fake.statement('SELECT 1 FROM system.access.audit LIMIT 1', {
      error: {
        error_code: 'BAD_REQUEST',
        message: '[INSUFFICIENT_PERMISSIONS] User does not have USE SCHEMA on Schema system.access.',
        sql_state: '42501',
      },
    });
    const tests = await platform.validate(connectionConfig(fake, 'token'));
    assert.equal(tests[5]!.status, 'failed');
    assert.match(
      tests[5]!.result!,
      /^Could not read system\.access\.audit: Databricks denied the statement \(BAD_REQUEST: \[INSUFFICIENT_PERMISSIONS\]/,
    );
  });

  it('fails the warehouse test for a cluster httpPath and skips the audit test that needs statements', async () => {
    const tests = await platform.validate(
      connectionConfig(fake, 'token', { connection: { httpPath: '/sql/protocolv1/o/0/0123-456789-abc' } }),
    );
    assert.equal(tests[2]!.status, 'failed');
    assert.match(tests[2]!.result!, /does not name a SQL warehouse/);
    assert.deepEqual(tests[5], {
      name: 'Audit Tables Readable',
      status: 'skipped',
      result: 'Skipped: statements cannot run on the SQL warehouse.',
    });
    assert.equal(tests[3]!.status, 'passed', 'the catalog checks do not need the warehouse');
  });

  it('skips the Steward catalog tests when no nativeIntegration is given', async () => {
    const config = { ...connectionConfig(fake, 'token'), nativeIntegration: undefined };
    const tests = await platform.validate(config);
    assert.deepEqual(statuses(tests).slice(2), [
      'Warehouse: passed',
      'Steward Catalog Present: skipped',
      'Privileges: skipped',
      'Audit Tables Readable: skipped',
    ]);
  });

  it('reports an invalid stored payload as a failed test instead of throwing', async () => {
    const config = {
      connectionKey: 'x',
      connection: { technology: 'Databricks' },
      nativeIntegration: undefined,
    };
    const tests = await platform.validate(config);
    assert.equal(tests[0]!.status, 'failed');
    assert.match(tests[0]!.result!, /^Invalid connection\./);
    assert.ok(tests.slice(1).every((t) => t.status === 'skipped'));
  });
});
