import type { Command } from 'commander';
import { describeCounts, summarizeBulk } from '../bulk-summary.ts';
import { CliError } from '../cli-error.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { followBulk } from '../follow-bulk.ts';
import { JOB_COLUMNS } from '../job-table.ts';
import { printJson, printTable } from '../output.ts';
import { integerIn, uuid } from '../parsers.ts';

/**
 * `steward jobs wait <bulkId>`: waits until every job of a bulk operation finished, showing progress on
 * stderr; exits 0 when all completed, 1 when any failed, was cancelled or expired, or on timeout.
 */
export function jobsWaitCommand(jobs: Command, ctx: CliContext): void {
  jobs
    .command('wait')
    .description('Wait for every job of a bulk operation to finish')
    .argument('<bulkId>', 'the bulk id an operation returned', uuid)
    .option('--timeout <seconds>', 'give up after this many seconds', integerIn(1, 31_536_000))
    .option('--json', 'print the final job list as JSON')
    .action(async (bulkId: string, flags: { timeout?: number; json?: boolean }, command: Command) => {
      const result = await followBulk(ctx, clientFor(ctx, command), bulkId, flags.timeout);
      const summary = summarizeBulk(result.jobs);
      const unsuccessful = result.jobs.filter((j) => j.state !== 'completed');
      if (flags.json) printJson(ctx.stdout, result.jobs);
      else if (unsuccessful.length === 0) ctx.stdout.write(`All ${summary.jobs} jobs completed.\n`);
      else {
        const states = [describeCounts(summary.counts, true), describeCounts(summary.counts, false)];
        ctx.stdout.write(`${summary.jobs} jobs: ${states.filter((s) => s !== '').join(', ')}\n`);
        printTable(ctx.stdout, JOB_COLUMNS, unsuccessful, '');
      }
      if (result.timedOut) {
        throw new CliError(
          `timed out after ${flags.timeout} s with ${summary.finished} of ${summary.jobs} jobs finished`,
        );
      }
      if (unsuccessful.length > 0) {
        throw new CliError(`${unsuccessful.length} of ${summary.jobs} jobs did not complete`);
      }
    });
}
