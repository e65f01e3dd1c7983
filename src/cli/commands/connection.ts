import { type Command, InvalidArgumentError } from 'commander';
import type { ConnectionView } from '../api-types.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { confirm } from '../confirm.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { objectUrl } from '../object-path.ts';
import { type Cell, cellText, printFields, printJson, shortTime } from '../output.ts';
import { readSpecFile } from '../spec-file.ts';
import { connectionRegisterCommands } from './connection-register.ts';
import { connectionScriptCommand } from './connection-script.ts';

/** Parses a connection key; anything but letters, digits, hyphens and underscores is a usage error. */
function connectionKey(text: string): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(text)) {
    throw new InvalidArgumentError('expected a connection key: letters, digits, hyphens and underscores.');
  }
  return text;
}

/** Flattens nested settings into `label: value` fields with dotted labels (`connection.hostname`). */
function flatten(label: string, value: unknown): Array<readonly [string, Cell]> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, inner]) => flatten(`${label}.${key}`, inner));
  }
  const cell = typeof value === 'object' ? JSON.stringify(value) : (value as Cell);
  return [[label, cell]];
}

function printConnection(ctx: CliContext, view: ConnectionView): void {
  const by = (person: ConnectionView['creator']) => (person ? ` by ${person.name}` : '');
  printFields(ctx.stdout, [
    ['key', view.connectionKey],
    ...flatten('connection', view.connection),
    ['settings.isActive', view.settings.isActive],
    ['options.forceRecursiveCrawl', view.options.forceRecursiveCrawl],
    ...(view.nativeIntegration ? flatten('nativeIntegration', view.nativeIntegration) : []),
    ['integration', view.nativeIntegrationId],
    ['last synced', shortTime(view.lastSyncedAt)],
    ['created', `${shortTime(view.createdAt)}${by(view.creator)}`],
    ['updated', `${shortTime(view.updatedAt)}${by(view.updater)}`],
  ]);
}

function connectionGet(connection: Command, ctx: CliContext): void {
  connection
    .command('get')
    .description('Show a connection, its credentials as [REDACTED]')
    .argument('<key>', 'the connection key', connectionKey)
    .option('--json', 'print JSON')
    .action(async (key: string, flags: { json?: boolean }, command: Command) => {
      const view = await clientFor(ctx, command).get<ConnectionView>(`/data/connection/${key}`);
      if (flags.json) return printJson(ctx.stdout, view);
      printConnection(ctx, view);
    });
}

function connectionUpdate(connection: Command, ctx: CliContext): void {
  connection
    .command('update')
    .description('Change a connection: the file is merged over it, re-validated, and saved if it passes')
    .argument('<key>', 'the connection key', connectionKey)
    .requiredOption(
      '-f, --file <path>',
      'YAML or JSON file with the parts to change ({connection, nativeIntegration, settings, options}); ' +
        'a value of [REDACTED] keeps the stored secret',
    )
    .option('--json', 'print JSON')
    .action(async (key: string, flags: { file: string; json?: boolean }, command: Command) => {
      const body = readSpecFile(flags.file);
      const view = await clientFor(ctx, command).put<ConnectionView>(`/data/connection/${key}`, body);
      if (flags.json) return printJson(ctx.stdout, view);
      ctx.stdout.write(`Updated connection ${cellText(view.connectionKey)}.\n`);
      printConnection(ctx, view);
    });
}

function connectionDelete(connection: Command, ctx: CliContext): void {
  connection
    .command('delete')
    .description('Delete a connection and every object Steward keeps below it (the platform is untouched)')
    .argument('<key>', 'the connection key', connectionKey)
    .option('-y, --yes', 'delete without asking (required when not on a terminal)')
    .option('--json', 'print JSON')
    .action(async (key: string, flags: { yes?: boolean; json?: boolean }, command: Command) => {
      if (!flags.yes && !ctx.stdin.isTTY) {
        throw new CliError('there is no terminal to confirm the deletion on; pass --yes', EXIT.usage);
      }
      const client = clientFor(ctx, command);
      const question = `Delete connection ${key} and every object Steward keeps below it? [y/N] `;
      if (!flags.yes && !(await confirm(question, ctx.stdin, ctx.stderr))) {
        throw new CliError('nothing was deleted');
      }
      const deleted = await client.delete<{ objectPath: string[]; childCount: number }>(
        objectUrl('/data/object', [key]),
      );
      if (flags.json) return printJson(ctx.stdout, deleted);
      const below = deleted.childCount === 1 ? '1 object' : `${deleted.childCount} objects`;
      ctx.stdout.write(`Deleted connection ${key} and the ${below} below it.\n`);
    });
}

/** `steward connection`: setup scripts, dry run, register, show, change and delete connections. */
export function connectionCommand(program: Command, ctx: CliContext): void {
  const connection = program
    .command('connection')
    .description('Connections to data platforms: setup script, test, register, get, update, delete');
  connectionScriptCommand(connection, ctx);
  connectionRegisterCommands(connection, ctx);
  connectionGet(connection, ctx);
  connectionUpdate(connection, ctx);
  connectionDelete(connection, ctx);
}
