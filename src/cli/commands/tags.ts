import { type Command, InvalidArgumentError, Option } from 'commander';
import type { z } from 'zod';
import type { appliedTagSchema, tagSchema } from '../../server/schemas/tags.ts';
import type { Next } from '../api-types.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { type Column, cellText, printJson, printTable } from '../output.ts';
import { integerIn } from '../parsers.ts';

type Tag = z.infer<typeof tagSchema>;
type AppliedTag = z.infer<typeof appliedTagSchema>;

/** A data source, or one of its columns, as `tags apply` and `tags remove` name it. */
interface TagTarget {
  readonly dataSourceId: string;
  readonly column?: string;
}

/** Parses `<dataSourceId>` or `<dataSourceId>.<column>` (the first dot separates them). */
export function tagTarget(text: string): TagTarget {
  const m = /^([1-9][0-9]{0,17})(?:\.([\s\S]+))?$/.exec(text);
  if (!m)
    throw new InvalidArgumentError('expected a data source id, or <dataSourceId>.<column> for a column.');
  return m[2] === undefined ? { dataSourceId: m[1]! } : { dataSourceId: m[1]!, column: m[2] };
}

/** The `/tag/{modelType}/{modelId}` path of a target. */
function targetUrl(target: TagTarget): string {
  return target.column === undefined
    ? `/tag/datasource/${target.dataSourceId}`
    : `/tag/column/${encodeURIComponent(`${target.dataSourceId}_${target.column}`)}`;
}

function targetText(target: TagTarget): string {
  return target.column === undefined
    ? `data source ${target.dataSourceId}`
    : `column ${target.column} of data source ${target.dataSourceId}`;
}

const TAG_COLUMNS: ReadonlyArray<Column<Tag>> = [
  { header: 'NAME', cell: (t) => t.name },
  { header: 'SOURCE', cell: (t) => t.source },
  { header: 'DESCRIPTION', cell: (t) => t.description },
];

function tagsLs(tags: Command, ctx: CliContext): void {
  tags
    .command('ls')
    .description('List the tags, parents before their children')
    .option('--search <text>', 'only tags whose name contains this text (case-insensitive)')
    .option('--under <tag>', 'only this tag and the tags below it')
    .addOption(
      new Option('--source <source>', 'only tags of this origin').choices([
        'manual',
        'discovered',
        'external',
        'schemaChange',
      ]),
    )
    .option('--limit <n>', 'at most this many tags (1-1000, default 1000)', integerIn(1, 1000))
    .option('--json', 'print JSON')
    .action(
      async (
        flags: { search?: string; under?: string; source?: string; limit?: number; json?: boolean },
        command: Command,
      ) => {
        const page = await clientFor(ctx, command).get<{ tags: Tag[]; next: Next }>('/tag', {
          searchText: flags.search,
          under: flags.under,
          source: flags.source,
          size: flags.limit ?? 1000,
        });
        if (flags.json) return printJson(ctx.stdout, page);
        printTable(ctx.stdout, TAG_COLUMNS, page.tags, 'No tags.');
        if (page.next !== null) ctx.stderr.write('(more tags exist; raise --limit or narrow the search)\n');
      },
    );
}

function tagsCreate(tags: Command, ctx: CliContext): void {
  tags
    .command('create')
    .description('Create tags; missing parents are created too (PII.Email also creates PII)')
    .argument('<name...>', 'tag names, dot-separated levels')
    .option('--description <text>', 'a description (for every tag named)')
    .option('--json', 'print JSON')
    .action(async (names: string[], flags: { description?: string; json?: boolean }, command: Command) => {
      const body = {
        tags: names.map((name) => ({
          name,
          ...(flags.description ? { description: flags.description } : {}),
        })),
      };
      const result = await clientFor(ctx, command).post<{ tags: Tag[]; created: string[] }>('/tag', body);
      if (flags.json) return printJson(ctx.stdout, result);
      ctx.stdout.write(`Created ${result.created.map((n) => cellText(n)).join(', ')}.\n`);
    });
}

function printApplied(ctx: CliContext, target: TagTarget, tags: readonly AppliedTag[]): void {
  const list = tags.length === 0 ? 'no tags' : tags.map((t) => cellText(t.name)).join(', ');
  ctx.stdout.write(`The ${targetText(target)} has ${list}.\n`);
}

function tagsApply(tags: Command, ctx: CliContext): void {
  tags
    .command('apply')
    .description('Tag a data source, or a column of it')
    .argument('<target>', 'a data source id, or <dataSourceId>.<column>', tagTarget)
    .argument('<tag...>', 'existing tag names')
    .option('--json', 'print JSON')
    .action(async (target: TagTarget, names: string[], flags: { json?: boolean }, command: Command) => {
      const result = await clientFor(ctx, command).post<{ tags: AppliedTag[] }>(
        targetUrl(target),
        names.map((name) => ({ name })),
      );
      if (flags.json) return printJson(ctx.stdout, result);
      printApplied(ctx, target, result.tags);
    });
}

function tagsRemove(tags: Command, ctx: CliContext): void {
  tags
    .command('remove')
    .description('Remove a tag from a data source or a column (the tags below it stay)')
    .argument('<target>', 'a data source id, or <dataSourceId>.<column>', tagTarget)
    .argument('<tag>', 'the tag name')
    .option('--json', 'print JSON')
    .action(async (target: TagTarget, name: string, flags: { json?: boolean }, command: Command) => {
      const result = await clientFor(ctx, command).delete<{ tags: AppliedTag[] }>(
        `${targetUrl(target)}/${encodeURIComponent(name)}`,
      );
      if (flags.json) return printJson(ctx.stdout, result);
      printApplied(ctx, target, result.tags);
    });
}

function tagsDelete(tags: Command, ctx: CliContext): void {
  tags
    .command('delete')
    .description('Delete a tag and the tags below it (refused while in use, unless --force)')
    .argument('<tag>', 'the tag name')
    .option('--force', 'delete even while in use, removing it from everything')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { force?: boolean; json?: boolean }, command: Command) => {
      const result = await clientFor(ctx, command).request<{ deleted: string[] }>(
        'DELETE',
        `/tag/${encodeURIComponent(name)}`,
        {
          query: { force: flags.force ? 'true' : undefined },
        },
      );
      if (flags.json) return printJson(ctx.stdout, result);
      ctx.stdout.write(`Deleted ${result.deleted.map((n) => cellText(n)).join(', ')}.\n`);
    });
}

/** `steward tags`: the tag vocabulary, and tagging data sources and columns. */
export function tagsCommand(program: Command, ctx: CliContext): void {
  const tags = program
    .command('tags')
    .description('Tags: list, create, apply to data sources and columns, remove, delete');
  tagsLs(tags, ctx);
  tagsCreate(tags, ctx);
  tagsApply(tags, ctx);
  tagsRemove(tags, ctx);
  tagsDelete(tags, ctx);
}
