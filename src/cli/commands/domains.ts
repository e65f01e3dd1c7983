import type { Command } from 'commander';
import type { z } from 'zod';
import type { domainSchema } from '../../server/schemas/domains.ts';
import type { Next } from '../api-types.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { cellText, printJson, printTable } from '../output.ts';
import { integerIn } from '../parsers.ts';
import { dataSourceId } from './datasources-args.ts';

type Domain = z.infer<typeof domainSchema>;

function domainsLs(domains: Command, ctx: CliContext): void {
  domains
    .command('ls')
    .description('List domains')
    .option('--search <text>', 'only names containing this text (case-insensitive)')
    .option('--json', 'print JSON')
    .action(async (flags: { search?: string; json?: boolean }, command: Command) => {
      const client = clientFor(ctx, command);
      const all: Domain[] = [];
      for (let offset: Next = 0; offset !== null; ) {
        const page: { domains: Domain[]; next: Next } = await client.get('/domain', {
          searchText: flags.search,
          offset,
          size: 1000,
        });
        all.push(...page.domains);
        offset = page.next;
      }
      if (flags.json) return printJson(ctx.stdout, all);
      printTable(
        ctx.stdout,
        [
          { header: 'ID', cell: (d) => d.id },
          { header: 'NAME', cell: (d) => d.name },
          { header: 'DATA SOURCES', cell: (d) => d.dataSourceCount },
          { header: 'DESCRIPTION', cell: (d) => d.description },
        ],
        all,
        'No domains.',
      );
    });
}

function domainsCreate(domains: Command, ctx: CliContext): void {
  domains
    .command('create')
    .description('Create a domain')
    .argument('<name>', 'the domain name')
    .option('--description <text>', 'a description')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { description?: string; json?: boolean }, command: Command) => {
      const domain = await clientFor(ctx, command).post<Domain>('/domain', {
        name,
        ...(flags.description ? { description: flags.description } : {}),
      });
      if (flags.json) return printJson(ctx.stdout, domain);
      ctx.stdout.write(`Created domain ${domain.id} "${cellText(domain.name)}".\n`);
    });
}

function domainsAssign(domains: Command, ctx: CliContext): void {
  domains
    .command('assign')
    .description(
      'Put data sources in a domain (moving them from another one needs GOVERNANCE), or take them out',
    )
    .argument('<domainId>', 'the domain id', integerIn(1, Number.MAX_SAFE_INTEGER))
    .argument('<dataSourceId...>', 'data source ids', (text: string, previous: string[] = []) => [
      ...previous,
      dataSourceId(text),
    ])
    .option('--remove', 'take the data sources out of the domain instead')
    .option('--json', 'print JSON')
    .action(
      async (
        domainId: number,
        ids: string[],
        flags: { remove?: boolean; json?: boolean },
        command: Command,
      ) => {
        const result = await clientFor(ctx, command).put<{
          domain: Domain;
          added: string[];
          moved: string[];
          removed: string[];
        }>(`/domain/${domainId}/dataSources`, flags.remove ? { remove: ids } : { add: ids });
        if (flags.json) return printJson(ctx.stdout, result);
        const name = cellText(result.domain.name);
        if (flags.remove) ctx.stdout.write(`Removed ${result.removed.length} data source(s) from ${name}.\n`);
        else {
          const moved = result.moved.length > 0 ? ` (${result.moved.length} moved from another domain)` : '';
          ctx.stdout.write(`Added ${result.added.length} data source(s) to ${name}${moved}.\n`);
        }
      },
    );
}

/** `steward domains`: list and create domains, and assign data sources to them. */
export function domainsCommand(program: Command, ctx: CliContext): void {
  const domains = program.command('domains').description('Domains: list, create, assign data sources');
  domainsLs(domains, ctx);
  domainsCreate(domains, ctx);
  domainsAssign(domains, ctx);
}
