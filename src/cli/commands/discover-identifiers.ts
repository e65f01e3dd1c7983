import { type Command, Option } from 'commander';
import type { z } from 'zod';
import type { classifierSchema } from '../../server/schemas/sdd.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { type Column, cellText, printFields, printJson, printTable } from '../output.ts';
import { integerIn, repeatable, repeatableOf } from '../parsers.ts';
import { readSpecFile } from '../spec-file.ts';

/** An identifier as `/sdd/classifier` returns it. */
export type Classifier = z.infer<typeof classifierSchema>;

const TYPES = ['regex', 'columnNameRegex', 'dictionary', 'builtIn'] as const;

const COLUMNS: ReadonlyArray<Column<Classifier>> = [
  { header: 'NAME', cell: (c) => c.name },
  { header: 'TYPE', cell: (c) => c.type },
  { header: 'DISPLAY NAME', cell: (c) => c.displayName },
  { header: 'TAGS', cell: (c) => c.config.tags.join(', ') },
];

/** The flags of `discover identifiers create`. */
export interface CreateIdentifierFlags {
  readonly file?: string;
  readonly name?: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly regex?: string;
  readonly columnNameRegex?: string;
  readonly values?: string[];
  readonly tags?: string[];
  readonly caseSensitive?: boolean;
  readonly specificity?: number;
  readonly dataTypes?: string[];
}

/**
 * Builds the body of `POST /sdd/classifier` from a spec file (YAML or JSON, the API's body) and flags;
 * flags override the file. Without a file, exactly one of `--regex`, `--column-name-regex` or
 * `--values` chooses the type. Usage errors are CliErrors exiting 2.
 */
export function identifierBody(flags: CreateIdentifierFlags): Record<string, unknown> {
  const spec = flags.file ? readSpecFile(flags.file) : {};
  const criteria = [
    ['regex', flags.regex],
    ['columnNameRegex', flags.columnNameRegex],
    ['dictionary', flags.values],
  ] as const;
  const given = criteria.filter(([, value]) => value !== undefined);
  if (given.length > 1) {
    throw new CliError('give only one of --regex, --column-name-regex and --values', EXIT.usage);
  }
  if (given.length === 0 && !flags.file) {
    throw new CliError('give one of --regex, --column-name-regex or --values (or --file)', EXIT.usage);
  }
  const name = flags.name ?? spec['name'];
  if (name === undefined) throw new CliError('give --name (or a name in --file)', EXIT.usage);
  const config: Record<string, unknown> =
    typeof spec['config'] === 'object' && spec['config'] !== null ? { ...(spec['config'] as object) } : {};
  const [type, criterion] = given[0] ?? [spec['type'], undefined];
  if (given.length > 0) {
    for (const key of ['regex', 'columnNameRegex', 'values']) delete config[key];
    config[type === 'dictionary' ? 'values' : String(type)] = criterion;
  }
  if (flags.tags) config['tags'] = flags.tags;
  if (flags.caseSensitive) config['caseSensitive'] = true;
  if (flags.specificity !== undefined) config['specificity'] = flags.specificity;
  if (flags.dataTypes) config['dataTypes'] = flags.dataTypes;
  return {
    ...spec,
    name,
    displayName: flags.displayName ?? spec['displayName'] ?? name,
    description: flags.description ?? spec['description'] ?? '',
    type,
    config,
  };
}

function printIdentifier(ctx: CliContext, c: Classifier): void {
  const criterion = c.config.regex ?? c.config.columnNameRegex;
  printFields(ctx.stdout, [
    ['Name', c.name],
    ['Display name', c.displayName],
    ['Type', c.type],
    ['Description', c.description],
    ...(c.config.regex !== undefined ? [['Regex', criterion] as const] : []),
    ...(c.config.columnNameRegex !== undefined ? [['Column name regex', criterion] as const] : []),
    ...(c.config.canonical !== undefined && c.config.canonical !== criterion
      ? [['Evaluated as', c.config.canonical] as const]
      : []),
    ...(c.config.validator !== undefined ? [['Validator', c.config.validator] as const] : []),
    ...(c.config.values !== undefined ? [['Values', c.config.values.join(', ')] as const] : []),
    ['Case-sensitive', c.config.caseSensitive ? 'yes' : 'no'],
    ['Tags', c.config.tags.join(', ')],
    ['Specificity', c.config.specificity],
    ['Data types', c.type === 'columnNameRegex' ? null : c.config.dataTypes.join(', ')],
    ['Created by', c.builtIn ? 'built-in' : c.createdBy?.name],
  ]);
}

function identifiersShow(identifiers: Command, ctx: CliContext): void {
  identifiers
    .command('show')
    .description('Show an identifier: its rule and the tags it applies')
    .argument('<name>', 'the identifier name')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { json?: boolean }, command: Command) => {
      const c = await clientFor(ctx, command).get<Classifier>(`/sdd/classifier/${encodeURIComponent(name)}`);
      if (flags.json) return printJson(ctx.stdout, c);
      printIdentifier(ctx, c);
    });
}

function identifiersCreate(identifiers: Command, ctx: CliContext): void {
  identifiers
    .command('create')
    .description('Create an identifier from flags, or from a YAML or JSON file holding the API body')
    .option('--file <path>', 'a YAML or JSON file with the body of POST /sdd/classifier')
    .option('--name <NAME>', 'the name: uppercase letters, digits and _')
    .option('--display-name <text>', 'the display name (default: the name)')
    .option('--description <text>', 'a description')
    .option('--regex <pattern>', 'match whole values against this pattern')
    .option('--column-name-regex <pattern>', 'match column names against this pattern')
    .option('--values <a,b,c>', 'match values from this list (repeatable, comma-separated)', repeatable)
    .option(
      '--tags <t1,t2>',
      'the tags to apply, under Discovered. (repeatable, comma-separated)',
      repeatable,
    )
    .option('--case-sensitive', 'match case-sensitively')
    .option('--specificity <n>', 'the most specific qualifying identifier wins (0-1000)', integerIn(0, 1000))
    .option('--data-types <t1,t2>', 'column type families to test (default text)', repeatable)
    .option('--json', 'print JSON')
    .action(async (flags: CreateIdentifierFlags & { json?: boolean }, command: Command) => {
      const created = await clientFor(ctx, command).post<Classifier>(
        '/sdd/classifier',
        identifierBody(flags),
      );
      if (flags.json) return printJson(ctx.stdout, created);
      ctx.stdout.write(
        `Created identifier ${cellText(created.name)} (${created.type}), applying ${cellText(created.config.tags.join(', '))}.\n`,
      );
    });
}

function identifiersDelete(identifiers: Command, ctx: CliContext): void {
  identifiers
    .command('delete')
    .description('Delete an identifier (refused while a framework holds it, unless --force)')
    .argument('<name>', 'the identifier name')
    .option('--force', 'delete even while frameworks hold it, taking it out of them')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { force?: boolean; json?: boolean }, command: Command) => {
      const deleted = await clientFor(ctx, command).request<Classifier & { removedFrom: string[] }>(
        'DELETE',
        `/sdd/classifier/${encodeURIComponent(name)}`,
        { query: { force: flags.force ? 'true' : undefined } },
      );
      if (flags.json) return printJson(ctx.stdout, deleted);
      const from = deleted.removedFrom.length
        ? `; taken out of ${deleted.removedFrom.map(cellText).join(', ')}`
        : '';
      ctx.stdout.write(`Deleted identifier ${cellText(deleted.name)}${from}.\n`);
    });
}

function identifiersLs(identifiers: Command, ctx: CliContext): void {
  identifiers
    .command('ls', { isDefault: true })
    .description('List the identifiers, built-in ones (type builtIn) included')
    .addOption(new Option('--type <type>', 'only this type (repeatable)').argParser(repeatableOf(TYPES)))
    .option('--search <text>', 'only identifiers whose name or display name contains this text')
    .option('--limit <n>', 'at most this many (1-1000, default 1000)', integerIn(1, 1000))
    .option('--json', 'print JSON')
    .action(
      async (
        flags: { type?: string[]; search?: string; limit?: number; json?: boolean },
        command: Command,
      ) => {
        const page = await clientFor(ctx, command).get<{ count: number; hits: Classifier[] }>(
          '/sdd/classifier',
          {
            type: flags.type,
            searchText: flags.search,
            limit: flags.limit ?? 1000,
          },
        );
        if (flags.json) return printJson(ctx.stdout, page);
        printTable(ctx.stdout, COLUMNS, page.hits, 'No identifiers.');
        if (page.count > page.hits.length) {
          ctx.stderr.write(`(${page.count - page.hits.length} more; raise --limit or narrow the search)\n`);
        }
      },
    );
}

/** `steward discover identifiers`: list (the default), show, create and delete identifiers. */
export function identifiersCommand(discover: Command, ctx: CliContext): void {
  const identifiers = discover
    .command('identifiers')
    .description('Identifiers, built-in and your own: ls (default), show, create, delete');
  identifiersLs(identifiers, ctx);
  identifiersShow(identifiers, ctx);
  identifiersCreate(identifiers, ctx);
  identifiersDelete(identifiers, ctx);
}
