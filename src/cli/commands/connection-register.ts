import type { Command } from 'commander';
import type { SyncStarted, ValidationTest } from '../api-types.ts';
import { CliError } from '../cli-error.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { followSync, type SyncFlags } from '../object-sync.ts';
import { cellText, printJson } from '../output.ts';
import { integerIn } from '../parsers.ts';
import { readSpecFile } from '../spec-file.ts';
import { validationLines } from '../validation-tests.ts';

interface DryRun {
  readonly status: 'passed' | 'failed' | 'warning';
  readonly validationTests: ValidationTest[];
}

const FILE_HELP =
  'YAML or JSON file with {connectionKey, connection, settings?, options?, nativeIntegration?}';

/** `steward connection test`: the dry run; prints each validation test and exits 1 when one failed. */
function connectionTest(connection: Command, ctx: CliContext): void {
  connection
    .command('test')
    .description('Dry run: connect with the settings and check privileges; stores nothing')
    .requiredOption('-f, --file <path>', FILE_HELP)
    .option('--json', 'print JSON')
    .action(async (flags: { file: string; json?: boolean }, command: Command) => {
      const body = readSpecFile(flags.file);
      const result = await clientFor(ctx, command).post<DryRun>('/data/connection/test', body);
      if (flags.json) printJson(ctx.stdout, result);
      else for (const line of validationLines(result.validationTests)) ctx.stdout.write(line + '\n');
      if (result.status === 'failed') {
        const failed = result.validationTests
          .filter((t) => t.status === 'failed')
          .map((t) => cellText(t.name));
        throw new CliError(`the connection failed these validation tests: ${failed.join(', ')}`);
      }
    });
}

/** `steward connection register`: registers a connection and follows its first object sync. */
function connectionRegister(connection: Command, ctx: CliContext): void {
  connection
    .command('register')
    .description('Register a connection (after the same checks as test) and wait for its object sync')
    .requiredOption('-f, --file <path>', FILE_HELP)
    .option('--no-wait', 'return once the object sync started')
    .option('--timeout <seconds>', 'stop waiting after this many seconds', integerIn(1, 31_536_000))
    .option('--json', 'print {objectPath, bulkId, jobs} as JSON')
    .action(async (flags: SyncFlags & { file: string }, command: Command) => {
      const body = readSpecFile(flags.file);
      const client = clientFor(ctx, command);
      const started = await client.post<SyncStarted>('/data/connection', body);
      if (!flags.json) ctx.stdout.write(`Registered connection ${cellText(started.objectPath[0])}.\n`);
      await followSync(ctx, client, started, flags);
    });
}

/** Adds `connection test` and `connection register`. */
export function connectionRegisterCommands(connection: Command, ctx: CliContext): void {
  connectionTest(connection, ctx);
  connectionRegister(connection, ctx);
}
