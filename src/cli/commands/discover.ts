import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { frameworksCommand } from './discover-frameworks.ts';
import { identifiersCommand } from './discover-identifiers.ts';
import { discoverRunCommands } from './discover-run.ts';

/** `steward discover`: sensitive data discovery: identifiers, frameworks, runs and their results. */
export function discoverCommand(program: Command, ctx: CliContext): void {
  const discover = program
    .command('discover')
    .description('Sensitive data discovery: identifiers, frameworks, run, results, confirm, reject');
  identifiersCommand(discover, ctx);
  frameworksCommand(discover, ctx);
  discoverRunCommands(discover, ctx);
}
