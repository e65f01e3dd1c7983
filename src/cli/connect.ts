import type { Command } from 'commander';
import { CliError } from './cli-error.ts';
import { ApiClient } from './client.ts';
import { type EffectiveProfile, resolveProfile } from './config-file.ts';
import type { CliContext } from './context.ts';

/** Returns the effective profile of a command, applying the global `--url` and `--api-key` flags. */
export function profileOf(ctx: CliContext, command: Command): EffectiveProfile {
  const globals = command.optsWithGlobals<{ url?: string; apiKey?: string }>();
  return resolveProfile(ctx.env, { url: globals.url, apiKey: globals.apiKey });
}

/** Returns an API client for a command, failing with advice when no API key is configured. */
export function clientFor(ctx: CliContext, command: Command): ApiClient {
  const profile = profileOf(ctx, command);
  if (!profile.apiKey) {
    throw new CliError(
      'no API key is configured; run steward configure, set STEWARD_API_KEY or pass --api-key',
    );
  }
  return new ApiClient({ baseUrl: profile.url, apiKey: profile.apiKey });
}
