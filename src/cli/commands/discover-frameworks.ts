import { type Command, InvalidArgumentError } from 'commander';
import type { z } from 'zod';
import type { templateSchema } from '../../server/schemas/sdd.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { type Column, cellText, printFields, printJson, printTable } from '../output.ts';
import { repeatable } from '../parsers.ts';
import { readSpecFile } from '../spec-file.ts';
import { dataSourceId } from './datasources-args.ts';

/** A framework as `/sdd/template` returns it. */
export type Template = z.infer<typeof templateSchema>;

const COLUMNS: ReadonlyArray<Column<Template>> = [
  { header: 'NAME', cell: (t) => t.name },
  { header: 'DISPLAY NAME', cell: (t) => t.displayName },
  { header: 'IDENTIFIERS', cell: (t) => t.classifiers.length },
  { header: 'GLOBAL', cell: (t) => (t.global ? 'yes' : '') },
  { header: 'BUILT-IN', cell: (t) => (t.builtIn ? 'yes' : '') },
];

const templateUrl = (name: string) => `/sdd/template/${encodeURIComponent(name)}`;

/** Parses a repeatable data source id option. */
function dataSourceIds(text: string, previous: readonly string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...text
      .split(',')
      .filter((v) => v !== '')
      .map(dataSourceId),
  ];
}

/** Parses a repeatable domain id option. */
function domainIds(text: string, previous: readonly number[] | undefined): number[] {
  const ids = text
    .split(',')
    .filter((v) => v !== '')
    .map((v) => {
      if (!/^[1-9][0-9]{0,9}$/.test(v))
        throw new InvalidArgumentError('expected a domain id (a positive integer).');
      return Number(v);
    });
  return [...(previous ?? []), ...ids];
}

/** The flags of `discover frameworks create`. */
export interface CreateFrameworkFlags {
  readonly file?: string;
  readonly name?: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly identifiers?: string[];
}

/**
 * Builds the body of `POST /sdd/template` from a spec file (YAML or JSON, the API's body) and flags;
 * flags override the file, and `--identifiers` replaces its `classifiers`.
 */
export function frameworkBody(flags: CreateFrameworkFlags): Record<string, unknown> {
  const spec = flags.file ? readSpecFile(flags.file) : {};
  const name = flags.name ?? spec['name'];
  if (name === undefined) throw new CliError('give --name (or a name in --file)', EXIT.usage);
  const classifiers = flags.identifiers
    ? flags.identifiers.map((n) => ({ name: n }))
    : (spec['classifiers'] ?? []);
  return {
    ...spec,
    name,
    displayName: flags.displayName ?? spec['displayName'] ?? name,
    description: flags.description ?? spec['description'] ?? '',
    classifiers,
  };
}

function printFramework(ctx: CliContext, t: Template): void {
  printFields(ctx.stdout, [
    ['Name', t.name],
    ['Display name', t.displayName],
    ['Description', t.description],
    ['Global', t.global ? 'yes' : 'no'],
    ['Built-in', t.builtIn ? 'yes' : 'no'],
    ['Created by', t.builtIn ? 'built-in' : t.createdBy?.name],
  ]);
  ctx.stdout.write('\n');
  printTable(
    ctx.stdout,
    [
      { header: 'IDENTIFIER', cell: (c: Template['classifiers'][number]) => c.name },
      { header: 'TAGS', cell: (c) => (c.overrides ? c.overrides.tags.join(', ') : "the identifier's") },
    ],
    t.classifiers,
    'No identifiers.',
  );
}

function frameworksShow(frameworks: Command, ctx: CliContext): void {
  frameworks
    .command('show')
    .description('Show a framework and the tags each of its identifiers applies')
    .argument('<name>', 'the framework name')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { json?: boolean }, command: Command) => {
      const t = await clientFor(ctx, command).get<Template>(templateUrl(name));
      if (flags.json) return printJson(ctx.stdout, t);
      printFramework(ctx, t);
    });
}

function frameworksCreate(frameworks: Command, ctx: CliContext): void {
  frameworks
    .command('create')
    .description('Create a framework from flags, or from a YAML or JSON file holding the API body')
    .option('--file <path>', 'a YAML or JSON file with the body of POST /sdd/template')
    .option('--name <name>', 'the name')
    .option('--display-name <text>', 'the display name (default: the name)')
    .option('--description <text>', 'a description')
    .option('--identifiers <A,B>', 'identifier names (repeatable, comma-separated)', repeatable)
    .option('--json', 'print JSON')
    .action(async (flags: CreateFrameworkFlags & { json?: boolean }, command: Command) => {
      const created = await clientFor(ctx, command).post<Template>('/sdd/template', frameworkBody(flags));
      if (flags.json) return printJson(ctx.stdout, created);
      ctx.stdout.write(
        `Created framework ${cellText(created.name)} with ${created.classifiers.length} identifier(s).\n`,
      );
    });
}

function frameworksDelete(frameworks: Command, ctx: CliContext): void {
  frameworks
    .command('delete')
    .description('Delete a framework (refused while global or assigned, unless --force)')
    .argument('<name>', 'the framework name')
    .option('--force', 'delete even while in use; its data sources fall back to the next framework')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { force?: boolean; json?: boolean }, command: Command) => {
      const deleted = await clientFor(ctx, command).request<Template>('DELETE', templateUrl(name), {
        query: { force: flags.force ? 'true' : undefined },
      });
      if (flags.json) return printJson(ctx.stdout, deleted);
      ctx.stdout.write(`Deleted framework ${cellText(deleted.name)}.\n`);
    });
}

interface ApplyFlags {
  readonly dataSource?: string[];
  readonly domain?: number[];
  readonly none?: boolean;
  readonly json?: boolean;
}

function frameworksApply(frameworks: Command, ctx: CliContext): void {
  frameworks
    .command('apply')
    .description('Assign a framework to data sources or domains (--none clears their assignment)')
    .argument('[name]', 'the framework name')
    .option('--data-source <id>', 'a data source id (repeatable, comma-separated)', dataSourceIds)
    .option('--domain <id>', 'a domain id (repeatable, comma-separated)', domainIds)
    .option('--none', 'clear the assignment, so the domain’s or the global framework applies')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, flags: ApplyFlags, command: Command) => {
      if ((name === undefined) === !flags.none) {
        throw new CliError('give a framework name, or --none to clear the assignment', EXIT.usage);
      }
      if (!flags.dataSource && !flags.domain)
        throw new CliError('give --data-source or --domain', EXIT.usage);
      const result = await clientFor(ctx, command).put<{
        name: string | null;
        dataSourceIds: string[];
        domainIds: number[];
      }>('/sdd/template/apply', {
        name: name ?? null,
        ...(flags.dataSource ? { dataSourceIds: flags.dataSource } : {}),
        ...(flags.domain ? { domainIds: flags.domain } : {}),
      });
      if (flags.json) return printJson(ctx.stdout, result);
      const targets = [
        ...(result.dataSourceIds.length ? [`data source(s) ${result.dataSourceIds.join(', ')}`] : []),
        ...(result.domainIds.length ? [`domain(s) ${result.domainIds.join(', ')}`] : []),
      ].join(' and ');
      ctx.stdout.write(
        result.name === null
          ? `Cleared the framework of ${targets}.\n`
          : `Assigned framework ${cellText(result.name)} to ${targets}.\n`,
      );
    });
}

function frameworksGlobal(frameworks: Command, ctx: CliContext): void {
  frameworks
    .command('global')
    .description('Show the global framework, or make another global (--none: no global framework)')
    .argument('[name]', 'the framework to make global')
    .option('--none', 'leave no framework global')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, flags: { none?: boolean; json?: boolean }, command: Command) => {
      if (name !== undefined && flags.none)
        throw new CliError('give a framework name or --none, not both', EXIT.usage);
      const client = clientFor(ctx, command);
      if (name === undefined && !flags.none) {
        const global = await client.get<Template>('/sdd/template/global');
        if (flags.json) return printJson(ctx.stdout, global);
        return printFramework(ctx, global);
      }
      const result = await client.put<{ name: string | null; previous: string | null }>(
        '/sdd/template/global',
        {
          name: name ?? null,
        },
      );
      if (flags.json) return printJson(ctx.stdout, result);
      const was = result.previous === null ? 'none' : cellText(result.previous);
      ctx.stdout.write(
        result.name === null
          ? `No framework is global now (was ${was}).\n`
          : `${cellText(result.name)} is the global framework (was ${was}).\n`,
      );
    });
}

function frameworksLs(frameworks: Command, ctx: CliContext): void {
  frameworks
    .command('ls', { isDefault: true })
    .description('List the frameworks')
    .option('--search <text>', 'only frameworks whose name or display name contains this text')
    .option('--json', 'print JSON')
    .action(async (flags: { search?: string; json?: boolean }, command: Command) => {
      const page = await clientFor(ctx, command).get<{ count: number; hits: Template[] }>('/sdd/template', {
        searchText: flags.search,
        limit: 1000,
      });
      if (flags.json) return printJson(ctx.stdout, page);
      printTable(ctx.stdout, COLUMNS, page.hits, 'No frameworks.');
    });
}

/** `steward discover frameworks`: list (the default), show, create, delete, apply and the global one. */
export function frameworksCommand(discover: Command, ctx: CliContext): void {
  const frameworks = discover
    .command('frameworks')
    .description('Frameworks (sets of identifiers): ls (default), show, create, delete, apply, global');
  frameworksLs(frameworks, ctx);
  frameworksShow(frameworks, ctx);
  frameworksCreate(frameworks, ctx);
  frameworksDelete(frameworks, ctx);
  frameworksApply(frameworks, ctx);
  frameworksGlobal(frameworks, ctx);
}
