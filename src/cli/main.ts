import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.ts';
import { serverCommand } from './commands/server.ts';

/** Exit codes of every steward command. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

const program = new Command()
  .name('steward')
  .description('Steward: data access governance for the SQL platforms you already run')
  .version(VERSION)
  .exitOverride()
  .showHelpAfterError();

serverCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') process.exit(EXIT.ok);
    process.exit(EXIT.usage);
  }
  process.stderr.write(`steward: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(EXIT.failure);
}
