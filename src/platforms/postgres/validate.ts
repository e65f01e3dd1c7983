import { createConnection } from 'node:net';
import { AppError } from '../../errors/index.ts';
import type { ConnectionConfig, ValidationTest } from '../platform.ts';
import {
  type EndpointResolver,
  openPostgresSession,
  type PostgresSession,
  postgresSettings,
  stewardSchemaOf,
} from './session.ts';

function reach(host: string, port: number, timeoutMs = 5000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (problem?: string) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs / 1000} s`));
    socket.once('connect', () => done());
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

const skipped = (name: string, why: string): ValidationTest => ({ name, status: 'skipped', result: why });

async function privileges(session: PostgresSession): Promise<ValidationTest> {
  const { rows } = await session.client.query<{ usage: boolean; create: boolean; tables: boolean }>(
    `SELECT has_schema_privilege(current_user, $1, 'USAGE') AS usage,
            has_schema_privilege(current_user, $1, 'CREATE') AS create,
            to_regclass(quote_ident($1) || '.user_groups') IS NOT NULL AS tables`,
    [session.stewardSchema],
  );
  const r = rows[0]!;
  if (!r.usage || !r.create) {
    return {
      name: 'Privileges',
      status: 'failed',
      result: `${session.settings.username} needs USAGE and CREATE on schema ${session.stewardSchema}; run the setup script.`,
    };
  }
  if (!r.tables) {
    return {
      name: 'Privileges',
      status: 'failed',
      result: `The entitlement tables are missing from schema ${session.stewardSchema}; run the setup script.`,
    };
  }
  return {
    name: 'Privileges',
    status: 'passed',
    result: `${session.settings.username} owns the Steward schema and can read the catalog.`,
  };
}

/**
 * The dry run of a PostgreSQL connection: host reachable, credentials accepted, Steward-owned schema
 * present, privileges in place. Failures are test results, never exceptions.
 */
export async function validatePostgres(
  config: ConnectionConfig,
  resolveEndpoint: EndpointResolver | undefined,
): Promise<ValidationTest[]> {
  const settings = postgresSettings(config);
  const schema = stewardSchemaOf(config);
  const tests: ValidationTest[] = [];
  const embedded = resolveEndpoint?.(settings) !== undefined;
  const problem = embedded ? undefined : await reach(settings.hostname, settings.port);
  if (problem) {
    tests.push({
      name: 'Basic Connection Test',
      status: 'failed',
      result: `Could not reach ${settings.hostname}:${settings.port}: ${problem}.`,
    });
    tests.push(skipped('Credentials', 'Skipped: the host could not be reached.'));
    tests.push(skipped('Steward Schema Present', 'Skipped: the host could not be reached.'));
    tests.push(skipped('Privileges', 'Skipped: the host could not be reached.'));
  } else {
    tests.push({
      name: 'Basic Connection Test',
      status: 'passed',
      result: `Reached ${settings.hostname}:${settings.port}.`,
    });
    let session: PostgresSession | undefined;
    try {
      session = await openPostgresSession(config, resolveEndpoint);
      tests.push({
        name: 'Credentials',
        status: 'passed',
        result: `Signed in to ${settings.database} as ${settings.username}.`,
      });
      const { rows } = await session.client.query<{ present: boolean }>(
        'SELECT to_regnamespace($1) IS NOT NULL AS present',
        [schema],
      );
      if (rows[0]?.present) {
        tests.push({ name: 'Steward Schema Present', status: 'passed', result: `Schema ${schema} exists.` });
        tests.push(await privileges(session));
      } else {
        tests.push({
          name: 'Steward Schema Present',
          status: 'failed',
          result: `Schema ${schema} does not exist in ${settings.database}; run the setup script.`,
        });
        tests.push(skipped('Privileges', 'Skipped: the Steward schema is missing.'));
      }
    } catch (error) {
      const detail = error instanceof AppError ? error.detail : 'The connection failed.';
      tests.push({ name: 'Credentials', status: 'failed', result: detail });
      tests.push(skipped('Steward Schema Present', 'Skipped: could not sign in.'));
      tests.push(skipped('Privileges', 'Skipped: could not sign in.'));
    } finally {
      await session?.close().catch(() => {});
    }
  }
  tests.push(skipped('Audit Tables Readable', 'Skipped: query audit is not read from PostgreSQL.'));
  return tests;
}
