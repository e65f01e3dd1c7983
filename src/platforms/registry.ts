import { type EndpointResolver, createPostgresPlatform } from './postgres/index.ts';
import { type PlatformRegistry, platformRegistry } from './platform.ts';

/** Options of the platform registry (tests and the demo warehouse reach some databases in-process). */
export interface PlatformOptions {
  readonly resolvePostgresEndpoint?: EndpointResolver;
}

/** The composition root of platforms: the only place that imports the platform folders. */
export function createPlatformRegistry(options: PlatformOptions = {}): PlatformRegistry {
  return platformRegistry([createPostgresPlatform({ resolveEndpoint: options.resolvePostgresEndpoint })]);
}
