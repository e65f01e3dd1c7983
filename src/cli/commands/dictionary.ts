import type { Command } from 'commander';
import type { z } from 'zod';
import type { dictionarySchema } from '../../server/schemas/data-sources.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { printJson, printTable } from '../output.ts';
import { dataSourceId } from './datasources-args.ts';

type Dictionary = z.infer<typeof dictionarySchema>;

/** `steward dictionary get`: the data dictionary of a data source. */
export function dictionaryCommand(program: Command, ctx: CliContext): void {
  const dictionary = program
    .command('dictionary')
    .description('The data dictionary: column descriptions and tags');
  dictionary
    .command('get')
    .description("Show a data source's columns with their types, tags and descriptions")
    .argument('<id>', 'the data source id', dataSourceId)
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { json?: boolean }, command: Command) => {
      const dict = await clientFor(ctx, command).get<Dictionary>(`/dictionary/${id}`);
      if (flags.json) return printJson(ctx.stdout, dict);
      ctx.stdout.write(`${dict.dataSourceName}\n\n`);
      printTable(
        ctx.stdout,
        [
          { header: 'COLUMN', cell: (c) => c.name },
          { header: 'TYPE', cell: (c) => c.dataType },
          { header: 'REMOTE TYPE', cell: (c) => c.remoteType },
          { header: 'TAGS', cell: (c) => c.tags.map((t) => t.name).join(', ') },
          { header: 'DESCRIPTION', cell: (c) => c.description },
        ],
        dict.metadata,
        'No columns.',
      );
    });
}
