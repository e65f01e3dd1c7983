import type { Command } from 'commander';
import type { DataObject, DataObjectSummary, Next } from '../api-types.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { objectPath, objectPathText, objectUrl } from '../object-path.ts';
import { type Cell, type Column, printFields, printJson, printTable, shortTime } from '../output.ts';
import { integerIn, oneOf } from '../parsers.ts';
import { objectsChangeCommands } from './objects-change.ts';

const STATES = ['active', 'inactive'] as const;
const REMOTE_STATUSES = ['present', 'dropped'] as const;

interface LsFlags {
  readonly state?: (typeof STATES)[number];
  readonly remote?: (typeof REMOTE_STATUSES)[number];
  readonly search?: string;
  readonly limit?: number;
  readonly json?: boolean;
}

/** The kind of an object as listings show it: a table's own kind (`view`, ...) when it has one. */
function kindText(object: Pick<DataObject, 'kind' | 'tableKind'>): string {
  return object.kind === 'table' && object.tableKind ? object.tableKind : object.kind;
}

const OBJECT_COLUMNS: ReadonlyArray<Column<DataObjectSummary>> = [
  { header: 'NAME', cell: (o) => o.name },
  { header: 'KIND', cell: kindText },
  { header: 'STATE', cell: (o) => o.state },
  { header: 'REMOTE', cell: (o) => o.remoteStatus },
  { header: 'DATA SOURCE', cell: (o) => o.dataSourceId },
];

function objectsLs(objects: Command, ctx: CliContext): void {
  objects
    .command('ls')
    .description('List the children of an object, or the connections when no path is given')
    .argument('[objectPath]', 'the parent, slash-separated: connection/database/schema', objectPath)
    .option('--state <state>', `only objects in this state: ${STATES.join(', ')}`, oneOf(STATES))
    .option(
      '--remote <status>',
      `only objects ${REMOTE_STATUSES.join(' or ')} in the platform`,
      oneOf(REMOTE_STATUSES),
    )
    .option('--search <text>', 'only objects whose name contains this text (case-insensitive)')
    .option('--limit <n>', 'at most this many objects (1-1000, default 100)', integerIn(1, 1000))
    .option('--json', 'print JSON')
    .action(async (path: string[] | undefined, flags: LsFlags, command: Command) => {
      const page = await clientFor(ctx, command).request<{ objects: DataObjectSummary[]; next: Next }>(
        'POST',
        path ? objectUrl('/data/object/search', path) : '/data/object/search',
        {
          query: { size: flags.limit },
          body: { searchText: flags.search, state: flags.state, remoteStatus: flags.remote },
        },
      );
      if (flags.json) return printJson(ctx.stdout, page);
      printTable(ctx.stdout, OBJECT_COLUMNS, page.objects, path ? 'No objects.' : 'No connections.');
      if (page.next !== null) ctx.stderr.write('(more objects exist; raise --limit or narrow the filters)\n');
    });
}

/** Renders a setting's value: owners as `user:alice`, an empty list as `none`. */
function settingText(value: unknown): Cell {
  if (!Array.isArray(value)) return value as Cell;
  if (value.length === 0) return 'none';
  return value
    .map((owner: unknown) => {
      const o = (typeof owner === 'object' && owner !== null ? owner : {}) as Record<string, unknown>;
      return typeof o['type'] === 'string'
        ? `${o['type']}:${String(o['name'] ?? o['id'])}`
        : JSON.stringify(owner);
    })
    .join(', ');
}

type SettingName = keyof DataObject['settings'];

function printObject(ctx: CliContext, object: DataObject): void {
  printFields(ctx.stdout, [
    ['path', objectPathText(object.objectPath)],
    ['kind', kindText(object)],
    ['technology', object.technology],
    ['state', object.state],
    ['remote', object.remoteStatus],
    ['data source', object.dataSourceId],
    ['comment', object.comment],
    ['children', object.childCount],
    ['created', shortTime(object.createdAt)],
    ['updated', shortTime(object.updatedAt)],
    ['dropped', shortTime(object.droppedAt)],
  ]);
  ctx.stdout.write('\n');
  const settings = Object.keys(object.settings) as SettingName[];
  printTable<SettingName>(
    ctx.stdout,
    [
      { header: 'SETTING', cell: (s) => s },
      { header: 'VALUE', cell: (s) => settingText(object.settings[s].value) },
      {
        header: 'OWN OVERRIDE',
        cell: (s) => (s in object.overrides ? settingText(object.overrides[s]) : null),
      },
      {
        header: 'OVERRIDDEN BELOW',
        cell: (s) => (object.settings[s].hasDescendantsWithOverrides ? 'yes' : 'no'),
      },
    ],
    settings,
    '',
  );
  if (object.columns) {
    ctx.stdout.write('\n');
    printTable(
      ctx.stdout,
      [
        { header: '#', cell: (c) => c.position },
        { header: 'COLUMN', cell: (c) => c.name },
        { header: 'TYPE', cell: (c) => c.dataType },
        { header: 'REMOTE TYPE', cell: (c) => c.remoteType },
        { header: 'NULLABLE', cell: (c) => (c.nullable ? 'yes' : 'no') },
        { header: 'COMMENT', cell: (c) => c.comment },
      ],
      object.columns,
      'No columns.',
    );
  }
}

function objectsGet(objects: Command, ctx: CliContext): void {
  objects
    .command('get')
    .description("Show an object: its state, settings (and where they come from) and a table's columns")
    .argument('<objectPath>', 'the object, slash-separated: connection/database/schema/table', objectPath)
    .option('--json', 'print JSON')
    .action(async (path: string[], flags: { json?: boolean }, command: Command) => {
      const object = await clientFor(ctx, command).get<DataObject>(objectUrl('/data/object', path));
      if (flags.json) return printJson(ctx.stdout, object);
      printObject(ctx, object);
    });
}

/** `steward objects`: browse the data objects Steward found, sync them and change their settings. */
export function objectsCommand(program: Command, ctx: CliContext): void {
  const objects = program
    .command('objects')
    .description('Data objects (connections, databases, schemas, tables): list, show, sync, set');
  objectsLs(objects, ctx);
  objectsGet(objects, ctx);
  objectsChangeCommands(objects, ctx);
}
