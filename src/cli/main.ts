import { Command, CommanderError, Option } from 'commander';
import { VERSION } from '../version.ts';
import { EXIT } from './cli-error.ts';
import { apikeyCommand } from './commands/apikey.ts';
import { attributesCommand } from './commands/attributes.ts';
import { auditCommand } from './commands/audit.ts';
import { configureCommand } from './commands/configure.ts';
import { connectionCommand } from './commands/connection.ts';
import { datasourcesCommand } from './commands/datasources.ts';
import { dictionaryCommand } from './commands/dictionary.ts';
import { discoverCommand } from './commands/discover.ts';
import { domainsCommand } from './commands/domains.ts';
import { explainCommand } from './commands/explain.ts';
import { groupsCommand } from './commands/groups.ts';
import { jobsCommand } from './commands/jobs.ts';
import { objectsCommand } from './commands/objects.ts';
import { policyCommand } from './commands/policy.ts';
import { queryCommand } from './commands/query.ts';
import { serverCommand } from './commands/server.ts';
import { tagsCommand } from './commands/tags.ts';
import { usersCommand } from './commands/users.ts';
import { whoamiCommand } from './commands/whoami.ts';
import { processContext } from './context.ts';
import { serverUrl } from './parsers.ts';
import { reportError } from './report-error.ts';

const ctx = processContext();

// Output piped into a command that stopped reading (`steward jobs ls | head -1`) is not an error.
ctx.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(EXIT.ok);
});

const program = new Command()
  .name('steward')
  .description('Steward: data access governance for the SQL platforms you already run')
  .version(VERSION)
  .addOption(
    new Option('--url <url>', 'the Steward server (overrides STEWARD_URL and the profile)').argParser(
      serverUrl,
    ),
  )
  .addOption(new Option('--api-key <key>', 'the API key (overrides STEWARD_API_KEY and the profile)'))
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)')
  .configureHelp({ showGlobalOptions: true });

// `steward server` keeps running after its action returns; every other command exits when done.
let longRunning = false;
program.hook('preAction', (_program, action) => {
  longRunning = action.name() === 'server';
});

serverCommand(program);
configureCommand(program, ctx);
whoamiCommand(program, ctx);
jobsCommand(program, ctx);
auditCommand(program, ctx);
apikeyCommand(program, ctx);
connectionCommand(program, ctx);
objectsCommand(program, ctx);
tagsCommand(program, ctx);
discoverCommand(program, ctx);
datasourcesCommand(program, ctx);
dictionaryCommand(program, ctx);
domainsCommand(program, ctx);
usersCommand(program, ctx);
groupsCommand(program, ctx);
attributesCommand(program, ctx);
policyCommand(program, ctx);
explainCommand(program, ctx);
queryCommand(program, ctx);

/** Exits once stdout and stderr have flushed, so piped output is never cut short. */
function exit(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  ctx.stdout.write('', done);
  ctx.stderr.write('', done);
}

try {
  await program.parseAsync(process.argv);
  if (!longRunning) exit(EXIT.ok);
} catch (error) {
  // Commander has already printed its message (unknown command or option, missing or invalid argument).
  if (error instanceof CommanderError) exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  else exit(reportError(ctx.stderr, error));
}
