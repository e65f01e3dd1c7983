import { createDatabricksPlatform, type DatabricksPlatformOptions } from './databricks/index.ts';
import { type PlatformRegistry, platformRegistry } from './platform.ts';
import { createPostgresPlatform, type EndpointResolver } from './postgres/index.ts';

/** Options of the platform registry (tests and the demo warehouse reach some databases in-process). */
export interface PlatformOptions {
  readonly resolvePostgresEndpoint?: EndpointResolver;
  /** Databricks client settings (tests point it at a simulated workspace over http). */
  readonly databricks?: DatabricksPlatformOptions;
}

/** The composition root of platforms: the only place that imports the platform folders. */
export function createPlatformRegistry(options: PlatformOptions = {}): PlatformRegistry {
  return platformRegistry([
    createPostgresPlatform({ resolveEndpoint: options.resolvePostgresEndpoint }),
    createDatabricksPlatform(options.databricks),
  ]);
}
