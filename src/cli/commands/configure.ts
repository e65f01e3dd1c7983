import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { isWellFormedApiKey } from '../../auth/api-key.ts';
import type { User } from '../api-types.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { ApiClient } from '../client.ts';
import {
  configFile,
  DEFAULT_SERVER_URL,
  maskApiKey,
  readStoredProfile,
  type StoredProfile,
  writeStoredProfile,
} from '../config-file.ts';
import { profileOf } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { printFields, printJson } from '../output.ts';
import { promptSecret } from '../prompt-secret.ts';
import { normalizeServerUrl } from '../server-url.ts';

interface ConfigureFlags {
  readonly key?: string;
  readonly keyFile?: string;
  readonly verify: boolean;
  readonly show?: boolean;
  readonly json?: boolean;
}

function readKeyFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new CliError(`cannot read the key file ${path} (${code})`);
  }
  const key = text.trim();
  if (key === '') throw new CliError(`the key file ${path} is empty`);
  return key;
}

async function chooseKey(
  ctx: CliContext,
  flags: ConfigureFlags,
  global: string | undefined,
  stored: StoredProfile,
) {
  if (flags.key !== undefined) return flags.key.trim();
  if (flags.keyFile !== undefined) return readKeyFile(flags.keyFile);
  if (global) return global.trim();
  if (ctx.stdin.isTTY) {
    const hint = stored.apiKey ? '; Enter keeps the current key' : '';
    const typed = await promptSecret(`API key (input hidden${hint}): `, ctx.stdin, ctx.stderr);
    if (typed !== '') return typed;
  }
  if (stored.apiKey) return stored.apiKey;
  throw new CliError(
    'give the API key with --key or --key-file (or run steward configure on a terminal)',
    EXIT.usage,
  );
}

function show(ctx: CliContext, command: Command, json: boolean): void {
  const profile = profileOf(ctx, command);
  const apiKey = profile.apiKey ? maskApiKey(profile.apiKey) : null;
  if (json) {
    printJson(ctx.stdout, { ...profile, apiKey });
    return;
  }
  printFields(ctx.stdout, [
    ['file', profile.file],
    ['url', `${profile.url} (${profile.urlSource})`],
    ['api key', apiKey ? `${apiKey} (${profile.apiKeySource})` : 'not set'],
  ]);
}

/** `steward configure`: saves (and verifies) the server URL and API key, or shows the profile in use. */
export function configureCommand(program: Command, ctx: CliContext): void {
  program
    .command('configure')
    .description('Save the server URL (global --url) and API key that other commands use')
    .addOption(new Option('--key <key>', 'the API key (other local users may see it in the process list)'))
    .addOption(new Option('--key-file <path>', 'read the API key from a file').conflicts('key'))
    .option('--no-verify', 'save without checking the key against the server')
    .addOption(new Option('--show', 'print the profile in use, the key masked').conflicts(['key', 'keyFile']))
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExample: steward configure --url http://localhost:8080 --key-file ./.steward/bootstrap-admin.key',
    )
    .action(async (flags: ConfigureFlags, command: Command) => {
      if (flags.show) return show(ctx, command, flags.json === true);
      const globals = command.optsWithGlobals<{ url?: string; apiKey?: string }>();
      const file = configFile(ctx.env);
      const stored = readStoredProfile(file);
      const url = globals.url ?? (stored.url ? normalizeServerUrl(stored.url) : DEFAULT_SERVER_URL);
      const apiKey = await chooseKey(ctx, flags, globals.apiKey, stored);
      if (!isWellFormedApiKey(apiKey)) {
        throw new CliError(
          'that is not a Steward API key (they look like stw_ followed by 46 letters and digits)',
        );
      }
      let user: User | undefined;
      if (flags.verify) {
        try {
          user = await new ApiClient({ baseUrl: url, apiKey }).get<User>('/users/me');
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new CliError(`${reason}; the profile was not saved (--no-verify saves it anyway)`);
        }
      }
      writeStoredProfile(file, { url, apiKey });
      if (flags.json) {
        printJson(ctx.stdout, { file, url, verified: user !== undefined, user: user ?? null });
        return;
      }
      ctx.stdout.write(`Saved the profile to ${file}${user ? '' : ' (not verified)'}.\n`);
      if (user) ctx.stdout.write(`Signed in to ${url} as ${user.username} (user ${user.id}).\n`);
    });
}
