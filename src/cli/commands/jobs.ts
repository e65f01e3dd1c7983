import type { Command } from 'commander';
import { JOB_STATE_NAMES, type Job, type JobState, type Next } from '../api-types.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { JOB_COLUMNS, progressText } from '../job-table.ts';
import { type Column, printFields, printJson, printTable, shortTime } from '../output.ts';
import { integerIn, repeatable, repeatableOf, uuid } from '../parsers.ts';
import { jobsWaitCommand } from './jobs-wait.ts';

type Summary = Record<string, Partial<Record<JobState, number>>>;

function jobsLs(jobs: Command, ctx: CliContext): void {
  jobs
    .command('ls')
    .description('List jobs, newest first')
    .option('--bulk-id <id>', 'only the jobs of this bulk operation', uuid)
    .option('--type <type>', 'only jobs of this type (repeatable)', repeatable)
    .option(
      '--state <state>',
      `only jobs in this state (repeatable): ${JOB_STATE_NAMES.join(', ')}`,
      repeatableOf(JOB_STATE_NAMES),
    )
    .option('--limit <n>', 'at most this many jobs (1-1000, default 100)', integerIn(1, 1000))
    .option('--json', 'print JSON')
    .action(
      async (
        flags: { bulkId?: string; type?: string[]; state?: JobState[]; limit?: number; json?: boolean },
        command: Command,
      ) => {
        const page = await clientFor(ctx, command).get<{ jobs: Job[]; next: Next }>('/jobs/search', {
          bulkId: flags.bulkId,
          jobType: flags.type,
          state: flags.state,
          size: flags.limit,
        });
        if (flags.json) return printJson(ctx.stdout, page);
        printTable(ctx.stdout, JOB_COLUMNS, page.jobs, 'No jobs.');
        if (page.next !== null) ctx.stderr.write(`(more jobs exist; raise --limit or narrow the filters)\n`);
      },
    );
}

function jobsSummary(jobs: Command, ctx: CliContext): void {
  jobs
    .command('summary')
    .description('Count jobs per type and state')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }, command: Command) => {
      const summary = await clientFor(ctx, command).get<Summary>('/jobs/summary');
      if (flags.json) return printJson(ctx.stdout, summary);
      const rows = Object.entries(summary).sort(([a], [b]) => a.localeCompare(b));
      const states = JOB_STATE_NAMES.filter((s) => rows.some(([, counts]) => (counts[s] ?? 0) > 0));
      const columns: Array<Column<(typeof rows)[number]>> = [
        { header: 'TYPE', cell: ([type]) => type },
        ...states.map((s) => ({
          header: s.toUpperCase(),
          cell: ([, c]: (typeof rows)[number]) => c[s] ?? 0,
        })),
        { header: 'TOTAL', cell: ([, c]) => Object.values(c).reduce((a, b) => a + (b ?? 0), 0) },
      ];
      printTable(ctx.stdout, columns, rows, 'No jobs.');
    });
}

function jobsGet(jobs: Command, ctx: CliContext): void {
  jobs
    .command('get')
    .description('Show one job')
    .argument('<id>', 'the job id', uuid)
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { json?: boolean }, command: Command) => {
      const job = await clientFor(ctx, command).get<Job>(`/jobs/${id}`);
      if (flags.json) return printJson(ctx.stdout, job);
      printFields(ctx.stdout, [
        ['id', job.id],
        ['bulk id', job.bulkId],
        ['type', job.type],
        ['state', job.state],
        ['progress', progressText(job)],
        ['attempts', `${job.attempts}/${job.maxAttempts}`],
        ['created', shortTime(job.createdAt)],
        ['started', shortTime(job.startedAt)],
        ['completed', shortTime(job.completedAt)],
        ['error', job.error],
        ['output', job.output === null ? null : JSON.stringify(job.output)],
      ]);
    });
}

function jobsCancel(jobs: Command, ctx: CliContext): void {
  jobs
    .command('cancel')
    .description('Cancel jobs that have not finished, by id or by bulk id')
    .argument('[ids...]', 'job ids', (value: string, previous: string[] | undefined) => [
      ...(previous ?? []),
      uuid(value),
    ])
    .option('--bulk-id <id>', 'cancel every unfinished job of this bulk operation', uuid)
    .option('--json', 'print JSON')
    .action(async (ids: string[], flags: { bulkId?: string; json?: boolean }, command: Command) => {
      if (ids.length === 0 && flags.bulkId === undefined) command.error('error: give job ids or --bulk-id');
      if (ids.length > 1000) command.error('error: at most 1000 job ids at once; use --bulk-id');
      const body = {
        ...(ids.length > 0 ? { jobIds: ids } : {}),
        ...(flags.bulkId ? { bulkId: flags.bulkId } : {}),
      };
      const result = await clientFor(ctx, command).post<{ cancelled: string[] }>('/jobs/cancel', body);
      if (flags.json) return printJson(ctx.stdout, result);
      if (result.cancelled.length === 0) {
        ctx.stdout.write('No job was cancelled: none of them was still unfinished.\n');
        return;
      }
      ctx.stdout.write(
        `Cancelled ${result.cancelled.length} job${result.cancelled.length === 1 ? '' : 's'}:\n`,
      );
      for (const id of result.cancelled) ctx.stdout.write(`  ${id}\n`);
    });
}

/** `steward jobs`: list, summarize, show, cancel and wait for background jobs. */
export function jobsCommand(program: Command, ctx: CliContext): void {
  const jobs = program.command('jobs').description('Background jobs: list, show, cancel, wait');
  jobsLs(jobs, ctx);
  jobsSummary(jobs, ctx);
  jobsGet(jobs, ctx);
  jobsCancel(jobs, ctx);
  jobsWaitCommand(jobs, ctx);
}
