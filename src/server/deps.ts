import type { Logger } from 'pino';
import type { QueryResult } from '../demo/query.ts';
import type { JobRegistry } from '../jobs/job-kind.ts';
import type { PlatformRegistry } from '../platforms/platform.ts';
import type { Keyring } from '../secrets/keyring.ts';
import type { Store } from '../store/open-store.ts';

/** Tunable limits of the HTTP API. */
export interface ApiConfig {
  /** Largest accepted request body, in bytes. */
  readonly bodyLimit: number;
  /** Upper bound on `wait` of `POST /jobs/statuses`, in seconds. */
  readonly maxStatusWaitSeconds: number;
}

/** Defaults for the API limits. */
export const DEFAULT_API_CONFIG: ApiConfig = { bodyLimit: 1024 * 1024, maxStatusWaitSeconds: 3600 };

/** Everything the server and its services depend on, built once by the composition root. */
export interface AppDeps {
  readonly store: Store;
  readonly keyring: Keyring;
  readonly logger: Logger;
  /** The data platforms this server can connect to, by technology name. */
  readonly platforms: PlatformRegistry;
  readonly jobs: {
    readonly registry: JobRegistry<AppDeps>;
    /** Tells local workers that jobs were enqueued. */
    wake(): void;
  };
  readonly api: ApiConfig;
  readonly version: string;
  /**
   * Runs one read-only query in the embedded demo warehouse as a database role; absent when this
   * server runs no demo warehouse.
   */
  readonly demoQuery?: (role: string, sql: string) => Promise<QueryResult>;
  /** True while the process is shutting down; readiness reports it. */
  readonly shuttingDown?: () => boolean;
}
