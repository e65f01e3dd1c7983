import { AppError } from '../../errors/index.ts';
import type { ConnectionConfig, ValidationTest } from '../platform.ts';
import { platformStatusOf } from './http.ts';
import {
  type DatabricksSession,
  type DatabricksSettings,
  openSession,
  originOf,
  parseConfig,
} from './session.ts';
import { executeStatement } from './statements.ts';
import { describeNetworkError, duration, hostPortOf } from './transport.ts';

/** The names of the validation tests, in the order they run. */
export const TEST_NAMES = {
  basic: 'Basic Connection Test',
  credentials: 'Credentials',
  warehouse: 'Warehouse',
  catalog: 'Steward Catalog Present',
  privileges: 'Privileges',
  audit: 'Audit Tables Readable',
} as const;

/** The privileges on the Steward catalog the service principal needs when it does not own it. */
const NEEDED = ['USE_CATALOG', 'USE_SCHEMA', 'SELECT', 'MODIFY'] as const;

const passed = (name: string, result: string): ValidationTest => ({ name, status: 'passed', result });
const failed = (name: string, result: string): ValidationTest => ({ name, status: 'failed', result });
const skipped = (name: string, result: string): ValidationTest => ({ name, status: 'skipped', result });

function detailOf(error: unknown): string {
  return error instanceof AppError ? error.detail : 'The request failed.';
}

async function reach(
  origin: string,
  settings: DatabricksSettings,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const url = new URL('/', origin);
  const limitMs = Math.min(settings.transport.timeoutMs, 10_000);
  const timeout = AbortSignal.timeout(limitMs);
  try {
    const res = await settings.transport.fetch(url, {
      method: 'GET',
      redirect: 'manual',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    await res.body?.cancel().catch(() => {});
    return undefined;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    const problem = timeout.aborted ? `no answer within ${duration(limitMs)}` : describeNetworkError(error);
    return `Could not reach ${hostPortOf(url)}: ${problem}.`;
  }
}

async function warehouse(session: DatabricksSession, signal?: AbortSignal): Promise<ValidationTest> {
  const name = TEST_NAMES.warehouse;
  if (!session.warehouseId) {
    return failed(
      name,
      `The httpPath ${session.connection.httpPath} does not name a SQL warehouse; Steward runs statements on one (/sql/1.0/warehouses/<id>).`,
    );
  }
  try {
    await executeStatement(session, 'SELECT 1', { signal });
    return passed(name, `Ran SELECT 1 on SQL warehouse ${session.warehouseId}.`);
  } catch (error) {
    if (signal?.aborted) throw error;
    return failed(name, `SQL warehouse ${session.warehouseId}: ${detailOf(error)}`);
  }
}

async function stewardCatalog(
  session: DatabricksSession,
  catalog: string,
  signal?: AbortSignal,
): Promise<{ test: ValidationTest; owner?: string }> {
  const name = TEST_NAMES.catalog;
  try {
    const info = await session.client.get<{ owner?: string }>(
      `/api/2.1/unity-catalog/catalogs/${encodeURIComponent(catalog)}`,
      undefined,
      signal,
    );
    return { test: passed(name, `The catalog ${catalog} exists.`), owner: info.owner };
  } catch (error) {
    if (signal?.aborted) throw error;
    if (platformStatusOf(error).status === 404) {
      return {
        test: failed(
          name,
          `The catalog ${catalog} does not exist: run the script from POST /integrations/scripts/create, then test again.`,
        ),
      };
    }
    return { test: failed(name, detailOf(error)) };
  }
}

interface EffectivePermissions {
  readonly privilege_assignments?: ReadonlyArray<{
    readonly principal?: string;
    readonly privileges?: ReadonlyArray<{ readonly privilege?: string }>;
  }>;
}

async function privileges(
  session: DatabricksSession,
  catalog: string,
  owner: string | undefined,
  signal?: AbortSignal,
): Promise<ValidationTest> {
  const name = TEST_NAMES.privileges;
  const who = session.principal;
  if (owner !== undefined && owner.toLowerCase() === who.toLowerCase())
    return passed(name, `${who} owns the catalog ${catalog}.`);
  try {
    const perms = await session.client.get<EffectivePermissions>(
      `/api/2.1/unity-catalog/effective-permissions/catalog/${encodeURIComponent(catalog)}`,
      { principal: who },
      signal,
    );
    const held = new Set(
      (perms.privilege_assignments ?? [])
        .filter((a) => (a.principal ?? '').toLowerCase() === who.toLowerCase())
        .flatMap((a) => (a.privileges ?? []).map((p) => p.privilege ?? '')),
    );
    const missing = held.has('ALL_PRIVILEGES') ? [] : NEEDED.filter((p) => !held.has(p));
    if (missing.length === 0) return passed(name, `${who} can use the catalog ${catalog}.`);
    const list = missing.map((p) => p.replaceAll('_', ' ')).join(', ');
    return failed(
      name,
      `${who} lacks ${list} on the catalog ${catalog}; run the script from POST /integrations/scripts/create.`,
    );
  } catch (error) {
    if (signal?.aborted) throw error;
    return failed(name, detailOf(error));
  }
}

async function audit(session: DatabricksSession, signal?: AbortSignal): Promise<ValidationTest> {
  const name = TEST_NAMES.audit;
  try {
    await executeStatement(session, 'SELECT 1 FROM system.access.audit LIMIT 1', { signal });
    return passed(name, `${session.principal} can read system.access.audit.`);
  } catch (error) {
    if (signal?.aborted) throw error;
    return failed(name, `Could not read system.access.audit: ${detailOf(error)}`);
  }
}

/**
 * The dry run of a Databricks connection: host reachable, credentials accepted, SQL warehouse
 * usable, Steward catalog present with the principal's privileges on it, audit tables readable.
 * Failures are results; a failed test makes the ones that depend on it `skipped`, saying why.
 */
export async function validateDatabricks(
  config: ConnectionConfig,
  settings: DatabricksSettings,
  signal?: AbortSignal,
): Promise<ValidationTest[]> {
  const rest = (from: number, why: string) =>
    Object.values(TEST_NAMES)
      .slice(from)
      .map((n) => skipped(n, why));
  let parsed: ReturnType<typeof parseConfig>;
  try {
    parsed = parseConfig(config);
  } catch (error) {
    return [failed(TEST_NAMES.basic, detailOf(error)), ...rest(1, 'Skipped: the payload is invalid.')];
  }
  const tests: ValidationTest[] = [];
  const origin = originOf(parsed.connection, settings);
  const unreachable = await reach(origin, settings, signal);
  if (unreachable)
    return [failed(TEST_NAMES.basic, unreachable), ...rest(1, 'Skipped: the host could not be reached.')];
  tests.push(passed(TEST_NAMES.basic, `Reached ${hostPortOf(new URL(origin))}.`));

  let session: DatabricksSession;
  try {
    session = await openSession(config, settings, signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    return [
      ...tests,
      failed(TEST_NAMES.credentials, detailOf(error)),
      ...rest(2, 'Skipped: the credentials were not accepted.'),
    ];
  }
  tests.push(
    passed(
      TEST_NAMES.credentials,
      `Signed in as ${session.principal} with ${session.client.auth.description}.`,
    ),
  );
  const wh = await warehouse(session, signal);
  tests.push(wh);

  const catalog = session.stewardCatalog;
  if (catalog === undefined) {
    tests.push(
      ...rest(3, 'Skipped: no nativeIntegration was given, so there is no Steward catalog to check.'),
    );
    return tests;
  }
  const present = await stewardCatalog(session, catalog, signal);
  tests.push(present.test);
  tests.push(
    present.test.status === 'passed'
      ? await privileges(session, catalog, present.owner, signal)
      : skipped(TEST_NAMES.privileges, `Skipped: the catalog ${catalog} is not available.`),
  );
  if (!session.nativeIntegration?.config.audit.enabled) {
    tests.push(
      skipped(
        TEST_NAMES.audit,
        'Skipped: query audit is disabled (nativeIntegration.config.audit.enabled is false).',
      ),
    );
  } else if (wh.status !== 'passed') {
    tests.push(skipped(TEST_NAMES.audit, 'Skipped: statements cannot run on the SQL warehouse.'));
  } else {
    tests.push(await audit(session, signal));
  }
  return tests;
}
