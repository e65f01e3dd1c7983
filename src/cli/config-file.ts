import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './cli-error.ts';
import { normalizeServerUrl } from './server-url.ts';

/** The CLI profile as stored in `config.json`: which server to talk to and the API key to send. */
export interface StoredProfile {
  readonly url?: string;
  readonly apiKey?: string;
}

/** Where a setting of the effective profile came from. */
export type SettingSource = 'flag' | 'environment' | 'file' | 'default' | 'none';

/** The profile a command uses: file, overridden by `STEWARD_URL`/`STEWARD_API_KEY`, overridden by flags. */
export interface EffectiveProfile {
  readonly url: string;
  readonly urlSource: SettingSource;
  readonly apiKey: string | undefined;
  readonly apiKeySource: SettingSource;
  readonly file: string;
}

/** The server URL used when nothing else names one: the default address of `steward server`. */
export const DEFAULT_SERVER_URL = 'http://localhost:8080';

/** Returns the CLI's config directory: `$STEWARD_CONFIG_DIR`, `$XDG_CONFIG_HOME/steward` or `~/.config/steward`. */
export function configDir(env: NodeJS.ProcessEnv): string {
  if (env['STEWARD_CONFIG_DIR']) return env['STEWARD_CONFIG_DIR'];
  if (env['XDG_CONFIG_HOME']) return join(env['XDG_CONFIG_HOME'], 'steward');
  return join(homedir(), '.config', 'steward');
}

/** Returns the path of the profile file in the config directory. */
export function configFile(env: NodeJS.ProcessEnv): string {
  return join(configDir(env), 'config.json');
}

/** Reads the stored profile; an absent file is an empty profile, a malformed one a CliError. */
export function readStoredProfile(file: string): StoredProfile {
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new CliError(`the CLI profile ${file} is not valid JSON; run steward configure to rewrite it`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(`the CLI profile ${file} is not a JSON object; run steward configure to rewrite it`);
  }
  const record = parsed as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const url = text(record['url']);
  const apiKey = text(record['apiKey']);
  return { ...(url ? { url } : {}), ...(apiKey ? { apiKey } : {}) };
}

/**
 * Writes the profile atomically, in a directory only the user can enter (0700) and a file only the
 * user can read (0600), tightening both even when they already existed.
 */
export function writeStoredProfile(file: string, profile: StoredProfile): void {
  const dir = join(file, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(profile, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  chmodSync(file, 0o600);
}

/** The global flags that override the profile. */
export interface ProfileFlags {
  readonly url?: string | undefined;
  readonly apiKey?: string | undefined;
}

/** Resolves the effective profile: flags over `STEWARD_URL`/`STEWARD_API_KEY` over the file over defaults. */
export function resolveProfile(env: NodeJS.ProcessEnv, flags: ProfileFlags): EffectiveProfile {
  const file = configFile(env);
  const stored = readStoredProfile(file);
  const pick = (...candidates: ReadonlyArray<readonly [string | undefined, SettingSource]>) => {
    for (const [value, source] of candidates) if (value) return { value, source };
    return undefined;
  };
  const url = pick([flags.url, 'flag'], [env['STEWARD_URL'], 'environment'], [stored.url, 'file']);
  const key = pick([flags.apiKey, 'flag'], [env['STEWARD_API_KEY'], 'environment'], [stored.apiKey, 'file']);
  let normalized = DEFAULT_SERVER_URL;
  if (url) {
    try {
      normalized = normalizeServerUrl(url.value);
    } catch (error) {
      const where = url.source === 'environment' ? 'STEWARD_URL' : url.source === 'file' ? file : '--url';
      throw new CliError(`the server URL from ${where} is invalid: ${(error as Error).message}`);
    }
  }
  return {
    url: normalized,
    urlSource: url?.source ?? 'default',
    apiKey: key?.value.trim(),
    apiKeySource: key?.source ?? 'none',
    file,
  };
}

/** Returns a key safe to display: its first 10 characters (fewer for a short key) and an ellipsis. */
export function maskApiKey(key: string): string {
  return key.slice(0, Math.min(10, Math.floor(key.length / 2))) + '…';
}
