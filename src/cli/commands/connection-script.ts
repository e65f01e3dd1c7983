import { type Command, Option } from 'commander';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { printJson } from '../output.ts';
import { integerIn } from '../parsers.ts';
import { readSpecFile } from '../spec-file.ts';

interface ScriptFlags {
  readonly file?: string;
  readonly cleanup?: boolean;
  readonly delete?: number;
  readonly json?: boolean;
}

/**
 * `steward connection script`: prints the setup script a platform admin runs once (or, with `--cleanup`,
 * the one that removes what an unfinished setup left), or with `--delete` the script that removes an
 * integration's objects from its platform.
 */
export function connectionScriptCommand(connection: Command, ctx: CliContext): void {
  connection
    .command('script')
    .description('Print the setup script to run once in the platform (or a cleanup or removal script)')
    .addOption(
      new Option('-f, --file <path>', 'YAML or JSON file with {type, autoBootstrap, config}').conflicts(
        'delete',
      ),
    )
    .addOption(new Option('--cleanup', 'the script that removes what an unfinished setup left behind'))
    .addOption(
      new Option('--delete <integrationId>', "the script that removes an integration's objects")
        .argParser(integerIn(1, Number.MAX_SAFE_INTEGER))
        .conflicts('cleanup'),
    )
    .option('--json', 'print {"script": ...} as JSON')
    .addHelpText('after', '\nExample: steward connection script -f setup.yaml > setup.sql')
    .action(async (flags: ScriptFlags, command: Command) => {
      if (flags.file === undefined && flags.delete === undefined) {
        command.error('error: give the script settings with -f <path>, or --delete <integrationId>');
      }
      const body = flags.file === undefined ? undefined : readSpecFile(flags.file);
      const client = clientFor(ctx, command);
      const { script } =
        body === undefined
          ? await client.post<{ script: string }>(`/integrations/${flags.delete}/scripts/delete`, undefined)
          : await client.post<{ script: string }>(
              `/integrations/scripts/${flags.cleanup ? 'cleanup' : 'create'}`,
              body,
            );
      if (flags.json) return printJson(ctx.stdout, { script });
      ctx.stdout.write(script.endsWith('\n') ? script : script + '\n');
    });
}
