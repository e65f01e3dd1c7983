import type { Command } from 'commander';
import type { ApiKeyView, Next } from '../api-types.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { type Column, cellText, printJson, printTable, shortTime } from '../output.ts';
import { integerIn } from '../parsers.ts';

function status(key: ApiKeyView, now: number): string {
  if (key.revokedAt !== null) return 'revoked';
  if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now) return 'expired';
  return 'active';
}

function columns(now: number): ReadonlyArray<Column<ApiKeyView>> {
  return [
    { header: 'ID', cell: (k) => k.id },
    { header: 'NAME', cell: (k) => k.name },
    { header: 'PREFIX', cell: (k) => k.prefix },
    { header: 'STATUS', cell: (k) => status(k, now) },
    { header: 'CREATED', cell: (k) => shortTime(k.createdAt) },
    { header: 'EXPIRES', cell: (k) => shortTime(k.expiresAt) },
    { header: 'LAST USED', cell: (k) => shortTime(k.lastUsedAt) },
  ];
}

function create(apikey: Command, ctx: CliContext): void {
  apikey
    .command('create')
    .description('Create an API key for yourself; the key is shown only this once')
    .argument('<name>', 'a name to recognise the key by')
    .option(
      '--expires-in-days <n>',
      'the key stops working after this many days (1-3650)',
      integerIn(1, 3650),
    )
    .option('--json', 'print JSON (including the key)')
    .action(async (name: string, flags: { expiresInDays?: number; json?: boolean }, command: Command) => {
      const body = { name, ...(flags.expiresInDays ? { expiresInDays: flags.expiresInDays } : {}) };
      const created = await clientFor(ctx, command).post<ApiKeyView & { key: string }>('/apikeys', body);
      if (flags.json) return printJson(ctx.stdout, created);
      const expiry = created.expiresAt ? `, expires ${shortTime(created.expiresAt)}` : ', never expires';
      ctx.stdout.write(
        `Created API key ${created.id} "${cellText(created.name)}"${expiry}.\n` +
          `The key is shown only this once; store it now:\n\n  ${created.key}\n\n`,
      );
    });
}

function list(apikey: Command, ctx: CliContext): void {
  apikey
    .command('ls')
    .description('List your API keys (never the keys themselves)')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }, command: Command) => {
      const client = clientFor(ctx, command);
      const keys: ApiKeyView[] = [];
      for (let offset: Next = 0; offset !== null; ) {
        const page: { apiKeys: ApiKeyView[]; next: Next } = await client.get('/apikeys', {
          offset,
          size: 1000,
        });
        keys.push(...page.apiKeys);
        offset = page.next;
      }
      if (flags.json) return printJson(ctx.stdout, keys);
      printTable(ctx.stdout, columns(Date.now()), keys, 'No API keys.');
    });
}

function revoke(apikey: Command, ctx: CliContext): void {
  apikey
    .command('revoke')
    .description('Revoke an API key; it stops working at once')
    .argument('<id>', 'the key id (see steward apikey ls)', integerIn(1, Number.MAX_SAFE_INTEGER))
    .option('--json', 'print JSON')
    .action(async (id: number, flags: { json?: boolean }, command: Command) => {
      const revoked = await clientFor(ctx, command).delete<ApiKeyView>(`/apikeys/${id}`);
      if (flags.json) return printJson(ctx.stdout, revoked);
      ctx.stdout.write(`Revoked API key ${revoked.id} "${cellText(revoked.name)}".\n`);
    });
}

/** `steward apikey`: create, list and revoke your API keys. */
export function apikeyCommand(program: Command, ctx: CliContext): void {
  const apikey = program.command('apikey').description('API keys: create, list, revoke');
  create(apikey, ctx);
  list(apikey, ctx);
  revoke(apikey, ctx);
}
