import { type Command, Option } from 'commander';
import type { DataObject, SyncStarted } from '../api-types.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { objectPath, objectPathText, objectUrl } from '../object-path.ts';
import { followSync, type SyncFlags } from '../object-sync.ts';
import { cellText, printJson } from '../output.ts';
import { integerIn, oneOf } from '../parsers.ts';

const NEW_CHILDREN = ['active', 'inactive', 'inherit'] as const;

interface SetFlags {
  readonly active?: boolean;
  readonly inactive?: boolean;
  readonly inherit?: boolean;
  readonly newChildren?: (typeof NEW_CHILDREN)[number];
  readonly json?: boolean;
}

/** Maps a setting choice to its API value: true, false, or null to drop the override and inherit. */
function overrideOf(choice: (typeof NEW_CHILDREN)[number]): boolean | null {
  return choice === 'inherit' ? null : choice === 'active';
}

function objectsSync(objects: Command, ctx: CliContext): void {
  objects
    .command('sync')
    .description('Sync the objects below one from the platform, and wait for it')
    .argument('<objectPath>', 'the object, slash-separated: connection/database/schema', objectPath)
    .option('--no-wait', 'return once the object sync started')
    .option('--timeout <seconds>', 'stop waiting after this many seconds', integerIn(1, 31_536_000))
    .option('--json', 'print {objectPath, bulkId, jobs} as JSON')
    .action(async (path: string[], flags: SyncFlags, command: Command) => {
      const client = clientFor(ctx, command);
      const started = await client.post<SyncStarted>(objectUrl('/data/crawl', path), undefined);
      await followSync(ctx, client, started, flags);
    });
}

function objectsSet(objects: Command, ctx: CliContext): void {
  objects
    .command('set')
    .description('Make an object active or inactive (its descendants without an override follow)')
    .argument('<objectPath>', 'the object, slash-separated: connection/database/schema/table', objectPath)
    .addOption(new Option('--active', 'make it active').conflicts(['inactive', 'inherit']))
    .addOption(new Option('--inactive', 'make it inactive').conflicts(['inherit']))
    .addOption(new Option('--inherit', "drop its own state so it follows its parent's"))
    .addOption(
      new Option(
        '--new-children <state>',
        `the state of children found later: ${NEW_CHILDREN.join(', ')}`,
      ).argParser(oneOf(NEW_CHILDREN)),
    )
    .option('--json', 'print JSON')
    .action(async (path: string[], flags: SetFlags, command: Command) => {
      const isActive = flags.active ? true : flags.inactive ? false : flags.inherit ? null : undefined;
      if (isActive === undefined && flags.newChildren === undefined) {
        command.error('error: give --active, --inactive or --inherit, or --new-children');
      }
      const settings = {
        ...(isActive !== undefined ? { isActive } : {}),
        ...(flags.newChildren ? { activateNewChildren: overrideOf(flags.newChildren) } : {}),
      };
      const result = await clientFor(ctx, command).put<{
        objectPath: string[];
        bulkId: string | null;
        object: DataObject;
      }>(objectUrl('/data/settings', path), { settings });
      if (flags.json) return printJson(ctx.stdout, result);
      const shown = cellText(objectPathText(result.objectPath));
      ctx.stdout.write(`Updated ${shown}: it is ${result.object.state}.\n`);
      if (result.bulkId) {
        ctx.stdout.write(
          `Activating it started an object sync (bulk ${result.bulkId}); ` +
            `follow it with: steward jobs wait ${result.bulkId}\n`,
        );
      }
    });
}

/** Adds `objects sync` and `objects set`. */
export function objectsChangeCommands(objects: Command, ctx: CliContext): void {
  objectsSync(objects, ctx);
  objectsSet(objects, ctx);
}
