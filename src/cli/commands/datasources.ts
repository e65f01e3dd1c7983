import type { Command } from 'commander';
import type { z } from 'zod';
import type { dataSourceSchema, dataSourceSummarySchema } from '../../server/schemas/data-sources.ts';
import type { Next } from '../api-types.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { objectPathText } from '../object-path.ts';
import { type Column, printFields, printJson, printTable, shortTime } from '../output.ts';
import { integerIn, repeatable } from '../parsers.ts';
import { dataSourceId } from './datasources-args.ts';

type DataSourceSummary = z.infer<typeof dataSourceSummarySchema>;
type DataSource = z.infer<typeof dataSourceSchema>;

interface LsFlags {
  readonly search?: string;
  readonly tag?: string[];
  readonly connection?: string[];
  readonly schema?: string[];
  readonly domain?: string[];
  readonly all?: boolean;
  readonly limit?: number;
  readonly json?: boolean;
}

const SUMMARY_COLUMNS: ReadonlyArray<Column<DataSourceSummary>> = [
  { header: 'ID', cell: (d) => d.id },
  { header: 'NAME', cell: (d) => d.name },
  { header: 'STATUS', cell: (d) => d.status },
  { header: 'DOMAIN', cell: (d) => d.domain?.name },
  { header: 'TAGS', cell: (d) => d.tags.join(', ') },
];

function datasourcesLs(datasources: Command, ctx: CliContext): void {
  datasources
    .command('ls')
    .description('List data sources (every active table of a connection)')
    .option('--search <text>', 'only names containing this text (case-insensitive)')
    .option(
      '--tag <tag>',
      'only data sources with this tag, or one below it, on them or a column (repeatable)',
      repeatable,
    )
    .option('--connection <key>', 'only these connections (repeatable)', repeatable)
    .option('--schema <name>', 'only these schemas (repeatable)', repeatable)
    .option('--domain <id>', 'only these domains, or none (repeatable)', repeatable)
    .option('--all', 'also list data sources whose table was dropped')
    .option('--limit <n>', 'at most this many (1-1000, default 100)', integerIn(1, 1000))
    .option('--json', 'print JSON')
    .action(async (flags: LsFlags, command: Command) => {
      const page = await clientFor(ctx, command).get<{ dataSources: DataSourceSummary[]; next: Next }>(
        '/dataSource',
        {
          searchText: flags.search,
          tag: flags.tag,
          connection: flags.connection,
          schema: flags.schema,
          domain: flags.domain,
          includeDisabled: flags.all ? 'true' : undefined,
          size: flags.limit,
        },
      );
      if (flags.json) return printJson(ctx.stdout, page);
      printTable(ctx.stdout, SUMMARY_COLUMNS, page.dataSources, 'No data sources.');
      if (page.next !== null)
        ctx.stderr.write('(more data sources exist; raise --limit or narrow the filters)\n');
    });
}

function printDataSource(ctx: CliContext, ds: DataSource): void {
  printFields(ctx.stdout, [
    ['id', ds.id],
    ['name', ds.name],
    ['path', objectPathText(ds.objectPath)],
    ['technology', ds.technology],
    ['status', ds.status],
    ['health', ds.healthStatus],
    ['domain', ds.domain?.name],
    ['tags', ds.tags.map((t) => t.name).join(', ')],
    ['owners', ds.owners.map((o) => `${o.type}:${o.name ?? o.id}`).join(', ')],
    ['comment', ds.comment],
    ['created', shortTime(ds.createdAt)],
    ['dropped', shortTime(ds.droppedAt)],
  ]);
  ctx.stdout.write('\n');
  printTable(
    ctx.stdout,
    [
      { header: 'CHECK', cell: (c) => c.name },
      { header: 'STATUS', cell: (c) => c.status },
      { header: 'DETAIL', cell: (c) => c.detail },
    ],
    ds.healthChecks,
    '',
  );
  ctx.stdout.write('\n');
  printTable(
    ctx.stdout,
    [
      { header: 'COLUMN', cell: (c) => c.name },
      { header: 'TYPE', cell: (c) => c.dataType },
      { header: 'TAGS', cell: (c) => c.tags.map((t) => t.name).join(', ') },
      { header: 'DESCRIPTION', cell: (c) => c.description ?? c.comment },
    ],
    ds.columns,
    'No columns.',
  );
}

function datasourcesGet(datasources: Command, ctx: CliContext): void {
  datasources
    .command('get')
    .description('Show a data source: path, health, domain, owners, tags and columns')
    .argument('<id>', 'the data source id', dataSourceId)
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { json?: boolean }, command: Command) => {
      const ds = await clientFor(ctx, command).get<DataSource>(`/dataSource/${id}`);
      if (flags.json) return printJson(ctx.stdout, ds);
      printDataSource(ctx, ds);
    });
}

/** `steward datasources`: list and show data sources. */
export function datasourcesCommand(program: Command, ctx: CliContext): void {
  const datasources = program.command('datasources').description('Data sources: list and show');
  datasourcesLs(datasources, ctx);
  datasourcesGet(datasources, ctx);
}
