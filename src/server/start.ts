import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config.ts';
import { enqueueDueSyncs } from '../connections/sync-schedule.ts';
import { runAsRole } from '../demo/query.ts';
import { registerDemoOnce } from '../demo/register-demo.ts';
import { seedDemoGovernanceOnce } from '../demo/seed-governance.ts';
import { DEMO_HOST, type DemoWarehouse, openDemoWarehouse } from '../demo/warehouse.ts';
import { ensureDiscoveryVocabulary } from '../discovery/vocabulary.ts';
import { startEntitlementCatchUp, withDebouncedWake } from '../entitlements/schedule.ts';
import { AppError, safeErrorMessage } from '../errors/index.ts';
import { type JobKind, jobRegistry } from '../jobs/job-kind.ts';
import { BUILTIN_JOB_KINDS } from '../jobs/kinds/index.ts';
import { DEFAULT_RUNNER_OPTIONS, JobRunner, type RunnerOptions } from '../jobs/runner.ts';
import type { PlatformRegistry } from '../platforms/platform.ts';
import { createPlatformRegistry } from '../platforms/registry.ts';
import { requestEnforcement } from '../policy/request-enforcement.ts';
import { verifyKeyring } from '../secrets/canary.ts';
import { type Keyring, loadOrCreateKeyFile, parseKeyringSpec } from '../secrets/keyring.ts';
import { type DataDirLock, lockDataDir } from '../store/data-dir-lock.ts';
import { migrate } from '../store/migrate.ts';
import { openStore, type Store } from '../store/open-store.ts';
import { VERSION } from '../version.ts';
import { buildApp } from './build-app.ts';
import { type AppDeps, DEFAULT_API_CONFIG } from './deps.ts';
import { createLogger } from './logger.ts';
import { bootstrapAdmin } from './services/bootstrap-admin.ts';

/** A running server: its address and how to stop it gracefully. */
export interface RunningServer {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly deps: AppDeps;
  readonly runner: JobRunner<AppDeps>;
  /** Stops accepting requests, finishes or hands back running jobs, closes the store. */
  close(): Promise<void>;
}

/** Extra wiring for embedding the server (tests, benchmarks): more job kinds, runner tuning, a logger. */
export interface ServerOptions {
  readonly extraJobKinds?: ReadonlyArray<JobKind<AppDeps, never>>;
  readonly runner?: Partial<RunnerOptions>;
  readonly logger?: Logger;
  /** Where the one-time bootstrap key announcement goes (default: stderr). */
  readonly announce?: (message: string) => void;
  /** The platforms to use instead of the default registry (tests reach embedded warehouses). */
  readonly platforms?: PlatformRegistry;
}

/** Checks for connections due an object sync, a few times per interval (never more than once a minute). */
function startSyncSchedule(deps: AppDeps, intervalSeconds: number): NodeJS.Timeout | undefined {
  if (intervalSeconds <= 0) return undefined;
  const check = async () => {
    try {
      const keys = await enqueueDueSyncs(deps.store.db, deps.jobs.registry, intervalSeconds);
      if (keys.length > 0) {
        deps.logger.info({ connections: keys }, 'scheduled object sync enqueued');
        deps.jobs.wake();
      }
    } catch (error) {
      deps.logger.warn({ err: safeErrorMessage(error) }, 'scheduled object sync check failed');
    }
  };
  const timer = setInterval(check, Math.max(60, Math.floor(intervalSeconds / 10)) * 1000);
  timer.unref();
  return timer;
}

/**
 * Every `intervalSeconds`, asks for policy enforcement of every connection (one waiting job each at
 * most): each run compares the platform with the access plans, so out-of-band changes (a dropped
 * policy, row level security disabled, a grant to PUBLIC) are repaired within one interval.
 */
function startEnforcementSchedule(deps: AppDeps, intervalSeconds: number): NodeJS.Timeout | undefined {
  if (intervalSeconds <= 0) return undefined;
  const timer = setInterval(async () => {
    try {
      if ((await requestEnforcement(deps.store.db, 'all')).length > 0) deps.jobs.wake();
    } catch (error) {
      deps.logger.warn({ err: safeErrorMessage(error) }, 'scheduled enforcement check failed');
    }
  }, intervalSeconds * 1000);
  timer.unref();
  return timer;
}

/** The file in the data directory that holds the bootstrap administrator's key. */
export const BOOTSTRAP_KEY_FILE = 'bootstrap-admin.key';

function keyringFor(config: ServerConfig): Keyring {
  return config.secretKey
    ? parseKeyringSpec(config.secretKey)
    : loadOrCreateKeyFile(join(config.dataDir, 'secret.key'));
}

/**
 * The composition root: opens (and locks) the store, migrates it, checks the secret key, creates the
 * bootstrap administrator on first start, starts the job runner and the HTTP server.
 */
export async function startServer(config: ServerConfig, options: ServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  let lock: DataDirLock | undefined;
  let store: Store | undefined;
  let demo: DemoWarehouse | undefined;
  try {
    if (config.databaseUrl) {
      store = await openStore({ kind: 'postgres', url: config.databaseUrl });
    } else {
      lock = lockDataDir(config.dataDir);
      store = await openStore({ kind: 'embedded', dir: join(config.dataDir, 'pgdata') });
    }
    const migrated = await migrate(store.db);
    if (migrated.applied.length > 0) logger.info({ applied: migrated.applied }, 'metadata store migrated');
    // The discovered tag vocabulary exists from the first start, so policies (the demo's too) can name it.
    await ensureDiscoveryVocabulary(store.db);
    const keyring = keyringFor(config);
    await verifyKeyring(store.db, keyring);

    let shuttingDown = false;
    // Databases reached in-process (the demo warehouse), by the host name they are registered under.
    const embedded = new Map<string, PGlite>();
    let runner: JobRunner<AppDeps> | undefined;
    const registry = jobRegistry<AppDeps>([...BUILTIN_JOB_KINDS, ...(options.extraJobKinds ?? [])]);
    const deps: AppDeps = {
      store,
      keyring,
      logger,
      platforms:
        options.platforms ??
        createPlatformRegistry({
          resolvePostgresEndpoint: (c) => {
            const instance = embedded.get(c.hostname);
            return instance ? (createPgConfig(instance) as unknown as pg.ClientConfig) : undefined;
          },
        }),
      // A second wake-up when debounced jobs (entitlement sync) come due, instead of the next poll.
      jobs: { registry, wake: withDebouncedWake(() => runner?.wake()) },
      api: { ...DEFAULT_API_CONFIG, bodyLimit: config.bodyLimit },
      version: VERSION,
      shuttingDown: () => shuttingDown,
      demoQuery: async (role, text) => {
        if (!demo) throw new AppError('QUERY_UNAVAILABLE', 'This server runs no demo warehouse.');
        return runAsRole(demo.pglite, role, text);
      },
    };
    runner = new JobRunner(store.db, registry, deps, logger.child({ component: 'jobs' }), {
      ...DEFAULT_RUNNER_OPTIONS,
      concurrency: config.workers,
      ...options.runner,
    });

    const key = await bootstrapAdmin(store.db);
    if (key) {
      const file = join(config.dataDir, BOOTSTRAP_KEY_FILE);
      if (!existsSync(file)) writeFileSync(file, key + '\n', { mode: 0o600 });
      chmodSync(file, 0o600);
      (options.announce ?? ((m: string) => process.stderr.write(m)))(
        `\nSteward created the bootstrap administrator "admin". Its API key, shown only this once:\n\n  ${key}\n\n` +
          `It is also in ${file} (readable only by you). Use it with: steward configure --url http://localhost:${config.port} --key-file ${file}\n\n`,
      );
      logger.info({ file }, 'bootstrap administrator created; its key was written to the data directory');
    }

    const postgres = deps.platforms.get('PostgreSQL');
    if (config.demo && postgres) {
      demo = await openDemoWarehouse(join(config.dataDir, 'demo'), postgres);
      embedded.set(DEMO_HOST, demo.pglite);
      const bulkId = await registerDemoOnce(deps, demo);
      if (bulkId)
        logger.info({ connection: 'demo', bulkId }, 'demo warehouse registered; its object sync is running');
    }

    const app = await buildApp(deps);
    if (config.workers > 0) runner.start();
    const schedule = startSyncSchedule(deps, config.syncIntervalSeconds);
    const enforcing =
      config.workers > 0 ? startEnforcementSchedule(deps, config.enforceIntervalSeconds) : undefined;
    const catchUp = config.workers > 0 ? startEntitlementCatchUp(deps) : undefined;
    // Catch-up: enforce every connection once at start (repairs drift from while Steward was down).
    if (config.workers > 0) {
      await requestEnforcement(store.db, 'all');
      runner.wake();
    }
    const seeding =
      demo && config.workers > 0
        ? seedDemoGovernanceOnce(deps)
            .then((keys) => {
              if (keys.length > 0) logger.info({ policies: keys }, 'demo tags and starter policies created');
            })
            .catch((error: unknown) => logger.warn({ err: error }, 'demo starter policies were not created'))
        : undefined;
    const address = await app.listen({ port: config.port, host: config.host });
    logger.info({ url: address, store: store.backend, dataDir: config.dataDir }, 'steward is listening');

    const openStoreRef = store;
    const activeRunner = runner;
    let closing: Promise<void> | undefined;
    return {
      app,
      url: address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1'),
      deps,
      runner: activeRunner,
      close: () => {
        closing ??= (async () => {
          shuttingDown = true;
          await seeding;
          clearInterval(schedule);
          clearInterval(enforcing);
          clearInterval(catchUp);
          await app.close();
          await activeRunner.stop(config.shutdownGraceMs);
          await demo?.close();
          await openStoreRef.close();
          lock?.release();
          logger.info('steward stopped');
        })();
        return closing;
      },
    };
  } catch (error) {
    await demo?.close().catch(() => {});
    await store?.close().catch(() => {});
    lock?.release();
    throw error;
  }
}
