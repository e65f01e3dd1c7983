import type { Command } from 'commander';
import type { Job, Next } from '../api-types.ts';
import { CliError, EXIT } from '../cli-error.ts';
import type { ApiClient } from '../client.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { followBulk } from '../follow-bulk.ts';
import { objectPath } from '../object-path.ts';
import { type Column, cellText, printJson, printTable } from '../output.ts';
import { integerIn } from '../parsers.ts';
import { dataSourceId } from './datasources-args.ts';
import { type DataSourceRef, dataSourceRef, resolveDataSource } from './datasources-resolve.ts';

/** The flags of `discover run`. */
export interface RunFlags {
  readonly dataSource?: string[];
  readonly connection?: string;
  readonly path?: string[];
  readonly newColumns?: boolean;
  readonly dryRun?: boolean;
  readonly framework?: string;
  readonly wait: boolean;
  readonly timeout?: number;
  readonly json?: boolean;
}

/** What `POST /sdd/run` answers. */
interface RunStarted {
  readonly bulkId: string;
  readonly jobs: ReadonlyArray<{ id: string; connectionKey: string; dataSources: number }>;
  readonly dataSources: number;
}

/** What discovery concluded about one column in a run, and the tag changes it made (or would make). */
interface ColumnOutcome {
  readonly column: string;
  readonly identifier: string | null;
  readonly tags: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly rejected: readonly string[];
}

/** One data source of a discovery job, as `GET /jobs/{id}/items` lists it. */
interface RunItem {
  readonly item: string;
  readonly status: 'succeeded' | 'failed' | 'skipped';
  readonly detail: {
    readonly columns?: readonly ColumnOutcome[];
    readonly error?: string;
    readonly reason?: string;
    readonly framework?: string;
  } | null;
}

/**
 * Builds the body of `POST /sdd/run`: exactly one scope (data sources, a connection or an object path),
 * the mode, dry run, and a framework to use instead of each data source's.
 */
export function runBody(flags: RunFlags): Record<string, unknown> {
  const scopes = [
    ...(flags.dataSource ? [{ dataSourceIds: flags.dataSource }] : []),
    ...(flags.connection !== undefined ? [{ connectionKey: flags.connection }] : []),
    ...(flags.path ? [{ objectPath: flags.path }] : []),
  ];
  if (scopes.length !== 1) {
    throw new CliError('give exactly one of --data-source, --connection and --path', EXIT.usage);
  }
  return {
    ...scopes[0],
    mode: flags.newColumns ? 'newColumns' : 'all',
    dryRun: flags.dryRun ?? false,
    ...(flags.framework !== undefined ? { template: flags.framework } : {}),
  };
}

/** Reads every item of a job, page by page. */
async function jobItems(client: ApiClient, jobId: string): Promise<RunItem[]> {
  const items: RunItem[] = [];
  for (let offset: Next = 0; offset !== null; ) {
    const page: { items: RunItem[]; next: Next } = await client.get(`/jobs/${jobId}/items`, {
      offset,
      size: 1000,
    });
    items.push(...page.items);
    offset = page.next;
  }
  return items;
}

const list = (tags: readonly string[]) => tags.join(', ');

function printItems(ctx: CliContext, items: readonly RunItem[], dryRun: boolean): void {
  const columns: ReadonlyArray<Column<ColumnOutcome>> = [
    { header: 'COLUMN', cell: (c) => c.column },
    { header: 'IDENTIFIER', cell: (c) => c.identifier },
    { header: 'TAGS', cell: (c) => list(c.tags) },
    { header: dryRun ? 'WOULD ADD' : 'ADDED', cell: (c) => list(c.added) },
    { header: dryRun ? 'WOULD REMOVE' : 'REMOVED', cell: (c) => list(c.removed) },
    { header: 'REJECTED', cell: (c) => list(c.rejected) },
  ];
  for (const item of items) {
    const d = item.detail;
    const why = d?.error ?? d?.reason;
    const framework = d?.framework ? `, framework ${cellText(d.framework)}` : '';
    ctx.stdout.write(
      `Data source ${cellText(item.item)}: ${item.status}${framework}${why ? ` (${cellText(why)})` : ''}\n`,
    );
    if (d?.columns) printTable(ctx.stdout, columns, d.columns, '  No columns.');
  }
}

/** Lists the jobs that did not complete and the items that failed, for the exit message. */
function failures(jobs: readonly Job[], items: ReadonlyArray<RunItem>): string[] {
  return [
    ...jobs
      .filter((j) => j.state !== 'completed')
      .map((j) => `job ${j.id} ${j.state}${j.error ? `: ${cellText(j.error)}` : ''}`),
    ...items.filter((i) => i.status === 'failed').map((i) => `data source ${cellText(i.item)} failed`),
  ];
}

function discoverRun(discover: Command, ctx: CliContext): void {
  discover
    .command('run')
    .description('Run discovery on data sources, a connection or an object path, and show what it tagged')
    .option(
      '--data-source <id>',
      'a data source id (repeatable, comma-separated)',
      (text, previous?: string[]) => [
        ...(previous ?? []),
        ...text
          .split(',')
          .filter((v) => v !== '')
          .map(dataSourceId),
      ],
    )
    .option('--connection <key>', 'every data source of a connection')
    .option('--path <a/b/c>', 'every data source below an object path', objectPath)
    .option('--new-columns', 'only columns discovery has never seen (existing tags stay)')
    .option('--dry-run', 'show the tags that would change, changing nothing')
    .option('--framework <name>', 'run this framework instead of each data source’s')
    .option('--no-wait', 'return once the run started')
    .option('--timeout <seconds>', 'stop waiting after this many seconds', integerIn(1, 31_536_000))
    .option('--json', 'print JSON')
    .action(async (flags: RunFlags, command: Command) => {
      const client = clientFor(ctx, command);
      const dryRun = flags.dryRun ?? false;
      const started = await client.post<RunStarted>('/sdd/run', runBody(flags));
      if (!flags.wait) {
        if (flags.json) return printJson(ctx.stdout, started);
        ctx.stdout.write(
          `Discovery of ${started.dataSources} data source(s) started (bulk ${started.bulkId}); ` +
            `follow it with: steward jobs wait ${started.bulkId}\n`,
        );
        return;
      }
      const result = await followBulk(ctx, client, started.bulkId, flags.timeout);
      const jobs = await Promise.all(
        result.jobs.map(async (job) => ({ ...job, items: await jobItems(client, job.id) })),
      );
      const items = jobs.flatMap((j) => j.items);
      if (flags.json)
        printJson(ctx.stdout, { bulkId: started.bulkId, dataSources: started.dataSources, dryRun, jobs });
      else printItems(ctx, items, dryRun);
      if (result.timedOut) {
        throw new CliError(
          `timed out after ${flags.timeout} s waiting for discovery; follow it with: steward jobs wait ${started.bulkId}`,
        );
      }
      const failed = failures(result.jobs, items);
      if (failed.length > 0) throw new CliError(`discovery did not complete: ${failed.join('; ')}`);
    });
}

/** One column of `GET /dataSource/{id}/discovery`. */
interface ColumnResult {
  readonly column: string;
  readonly identifier: string | null;
  readonly tags: readonly string[];
  readonly nameMatches: readonly string[];
  readonly hitRates: Readonly<Record<string, number>>;
  readonly sampled: number;
  readonly evaluatedIn: string;
  readonly framework: string;
  readonly discoveredAt: string;
  readonly review?: ReadonlyArray<{ tag: string; status: string; confirmed: boolean }>;
}

/** Renders a column's tags, marking those a data owner confirmed or rejected. */
function reviewedTags(c: ColumnResult): string {
  const marks = new Map(
    (c.review ?? []).map((r) => [
      r.tag,
      r.status === 'rejected' ? 'rejected' : r.confirmed ? 'confirmed' : '',
    ]),
  );
  const rejected = (c.review ?? [])
    .filter((r) => r.status === 'rejected' && !c.tags.includes(r.tag))
    .map((r) => r.tag);
  return [...c.tags, ...rejected].map((t) => (marks.get(t) ? `${t} (${marks.get(t)})` : t)).join(', ');
}

const RESULT_COLUMNS: ReadonlyArray<Column<ColumnResult>> = [
  { header: 'COLUMN', cell: (c) => c.column },
  { header: 'IDENTIFIER', cell: (c) => c.identifier },
  {
    header: 'HIT RATE',
    cell: (c) => {
      const rate = c.identifier === null ? undefined : c.hitRates[c.identifier];
      return rate === undefined ? null : `${Math.round(rate * 1000) / 10}%`;
    },
  },
  { header: 'SAMPLED', cell: (c) => c.sampled },
  { header: 'NAME MATCHES', cell: (c) => c.nameMatches.join(', ') },
  { header: 'TAGS', cell: reviewedTags },
  { header: 'IN', cell: (c) => c.evaluatedIn },
  { header: 'FRAMEWORK', cell: (c) => c.framework },
];

function discoverResults(discover: Command, ctx: CliContext): void {
  discover
    .command('results')
    .description('Show what discovery last found on each column of a data source')
    .argument(
      '<dataSource>',
      'a data source id, or its table as connection/[database/]schema/table',
      dataSourceRef,
    )
    .option('--json', 'print JSON')
    .action(async (ref: DataSourceRef, flags: { json?: boolean }, command: Command) => {
      const client = clientFor(ctx, command);
      const id = await resolveDataSource(client, ref);
      const result = await client.get<{ dataSourceId: string; columns: ColumnResult[] }>(
        `/dataSource/${id}/discovery`,
      );
      if (flags.json) return printJson(ctx.stdout, result);
      printTable(ctx.stdout, RESULT_COLUMNS, result.columns, 'Discovery has not run on this data source.');
    });
}

function discoverReview(discover: Command, ctx: CliContext, decision: 'confirm' | 'reject'): void {
  discover
    .command(decision)
    .description(
      decision === 'confirm'
        ? 'Confirm a discovered tag: later runs keep it even when they no longer find it'
        : 'Reject a discovered tag: it leaves the column and later runs do not apply it again',
    )
    .argument(
      '<dataSource>',
      'a data source id, or its table as connection/[database/]schema/table',
      dataSourceRef,
    )
    .argument('<column>', 'the column name')
    .argument('<tag>', 'the discovered tag')
    .option('--json', 'print JSON')
    .action(
      async (
        ref: DataSourceRef,
        column: string,
        tag: string,
        flags: { json?: boolean },
        command: Command,
      ) => {
        const client = clientFor(ctx, command);
        const id = await resolveDataSource(client, ref);
        const result = await client.post<{ tag: string; column: string }>(`/sdd/tags/${decision}`, {
          dataSourceId: id,
          column,
          tag,
        });
        if (flags.json) return printJson(ctx.stdout, result);
        const verb = decision === 'confirm' ? 'Confirmed' : 'Rejected';
        ctx.stdout.write(
          `${verb} ${cellText(result.tag)} on column ${cellText(result.column)} of data source ${id}.\n`,
        );
      },
    );
}

/** `steward discover run|results|confirm|reject`: running discovery and reviewing what it tagged. */
export function discoverRunCommands(discover: Command, ctx: CliContext): void {
  discoverRun(discover, ctx);
  discoverResults(discover, ctx);
  discoverReview(discover, ctx, 'confirm');
  discoverReview(discover, ctx, 'reject');
}
