import type { Command } from 'commander';
import type { User } from '../api-types.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { printFields, printJson } from '../output.ts';

/** `steward whoami`: prints the user the configured API key belongs to. */
export function whoamiCommand(program: Command, ctx: CliContext): void {
  program
    .command('whoami')
    .description('Show the user the API key belongs to')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }, command: Command) => {
      const client = clientFor(ctx, command);
      const user = await client.get<User>('/users/me');
      if (flags.json) return printJson(ctx.stdout, user);
      printFields(ctx.stdout, [
        ['user', user.username],
        ['id', user.id],
        ['name', user.name],
        ['email', user.email],
        ['state', user.state],
        ['permissions', user.permissions.join(', ')],
        ['server', client.baseUrl],
      ]);
    });
}
