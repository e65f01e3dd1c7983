import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { Permission } from '../../src/domain/permission.ts';
import { type JobKind, jobRegistry } from '../../src/jobs/job-kind.ts';
import { BUILTIN_JOB_KINDS } from '../../src/jobs/kinds/index.ts';
import type { PlatformRegistry } from '../../src/platforms/platform.ts';
import { createPlatformRegistry } from '../../src/platforms/registry.ts';
import { parseKeyringSpec } from '../../src/secrets/keyring.ts';
import { buildApp } from '../../src/server/build-app.ts';
import { type AppDeps, DEFAULT_API_CONFIG } from '../../src/server/deps.ts';
import { REDACT_PATHS } from '../../src/server/logger.ts';
import { issueApiKey } from '../../src/server/services/api-keys.ts';
import { bootstrapAdmin } from '../../src/server/services/bootstrap-admin.ts';
import { createTestStore, type TestStore } from './store.ts';

/** An app built on a fresh store, with the bootstrap admin's key and a way to make more users. */
export interface TestApp {
  readonly app: FastifyInstance;
  readonly deps: AppDeps;
  readonly store: TestStore;
  readonly adminKey: string;
  /** Every log line the app wrote, for checks that secrets never reach the logs. */
  readonly logs: string[];
  /** Creates a user holding exactly the given permissions and returns an API key for them. */
  userWith(permissions: readonly Permission[], username?: string): Promise<{ id: number; key: string }>;
  close(): Promise<void>;
}

/** Builds the real app (`buildApp`) over a fresh test store, as `app.inject()` tests use it. */
export async function createTestApp(
  options: {
    store?: TestStore;
    jobKinds?: ReadonlyArray<JobKind<AppDeps, never>>;
    api?: Partial<AppDeps['api']>;
    platforms?: PlatformRegistry;
    demoQuery?: AppDeps['demoQuery'];
  } = {},
): Promise<TestApp> {
  const store = options.store ?? (await createTestStore());
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'debug', redact: { paths: REDACT_PATHS, censor: '[REDACTED]' } }, sink);
  const registry = jobRegistry<AppDeps>([...BUILTIN_JOB_KINDS, ...(options.jobKinds ?? [])]);
  const deps: AppDeps = {
    store,
    keyring: parseKeyringSpec(randomBytes(32).toString('base64')),
    logger,
    platforms: options.platforms ?? createPlatformRegistry(),
    jobs: { registry, wake: () => {} },
    api: { ...DEFAULT_API_CONFIG, ...options.api },
    version: 'test',
    ...(options.demoQuery ? { demoQuery: options.demoQuery } : {}),
  };
  const adminKey = await bootstrapAdmin(store.db);
  if (!adminKey) throw new Error('The test store already had users.');
  const app = await buildApp(deps);
  await app.ready();
  let counter = 0;
  return {
    app,
    deps,
    store,
    adminKey,
    logs,
    async userWith(permissions, username) {
      const user = await store.db
        .insertInto('users')
        .values({
          username: username ?? `user${++counter}-${randomBytes(3).toString('hex')}`,
          name: null,
          email: null,
          state: 'active',
          permissions: [...permissions],
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const key = await issueApiKey(store.db, user.id, 'test', null);
      return { id: user.id, key: key.key };
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}
