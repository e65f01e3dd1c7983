import type { Command } from 'commander';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { cellText, printFields, printJson, printTable, type TextSink } from '../output.ts';
import { type DataSourceRef, dataSourceRef, resolveDataSource } from './datasources-resolve.ts';
import { resolveUser } from './users-resolve.ts';

/** A policy named by key and display name. */
interface PolicyRef {
  readonly policyKey: string;
  readonly name: string;
}

/** The answer of `GET /dataSource/{id}/users/{userId}/policyInfo`: why a user sees what they see. */
export interface PolicyInfo {
  readonly dataSource: { readonly id: string; readonly name: string };
  readonly user: {
    readonly id: number | string;
    readonly username: string;
    readonly principal: string | null;
  };
  readonly subscribed: {
    readonly value: boolean;
    readonly reason: string;
    readonly policies: ReadonlyArray<PolicyRef & { readonly role: string }>;
  };
  readonly masks: ReadonlyArray<{
    readonly column: string;
    readonly mask: Readonly<Record<string, unknown>>;
    readonly applies: boolean;
    readonly reason: string;
    readonly winner: PolicyRef;
    readonly losers: ReadonlyArray<{ readonly policy: PolicyRef; readonly reason: string }>;
  }>;
  readonly rowFilters: ReadonlyArray<{
    readonly description: string;
    readonly applies: boolean;
    readonly policy: PolicyRef;
  }>;
  readonly skipped: ReadonlyArray<{ readonly policy: PolicyRef; readonly reason: string }>;
}

/** Renders a policy as `Name [policy-key]`. */
function policyText(policy: PolicyRef): string {
  return `${cellText(policy.name)} [${cellText(policy.policyKey)}]`;
}

/** Renders a mask as its kind followed by its parameters: `constant value="***"`. */
export function maskText(mask: Readonly<Record<string, unknown>>): string {
  const kindField =
    typeof mask['kind'] === 'string' ? 'kind' : typeof mask['type'] === 'string' ? 'type' : null;
  const params = Object.entries(mask)
    .filter(([key]) => key !== kindField)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  const text = [kindField ? String(mask[kindField]) : '', ...params].filter((p) => p !== '').join(' ');
  return cellText(text === '' ? '{}' : text);
}

function printMasks(out: TextSink, masks: PolicyInfo['masks']): void {
  out.write(masks.length === 0 ? 'Masked columns: none\n' : 'Masked columns:\n');
  for (const m of masks) {
    const applies = m.applies ? 'applies' : 'does not apply';
    out.write(`  ${cellText(m.column)}: ${maskText(m.mask)} (${applies}: ${cellText(m.reason)})\n`);
    out.write(`    wins:  ${policyText(m.winner)}\n`);
    for (const loser of m.losers)
      out.write(`    loses: ${policyText(loser.policy)}: ${cellText(loser.reason)}\n`);
  }
}

/** Prints a policy explanation: subscription, masked columns, row filters and skipped policies. */
export function printPolicyInfo(out: TextSink, info: PolicyInfo): void {
  const principal = info.user.principal ? ` (principal ${info.user.principal})` : '';
  printFields(out, [
    ['user', `${info.user.username}${principal}`],
    ['data source', `${info.dataSource.name} (id ${info.dataSource.id})`],
    ['subscribed', `${info.subscribed.value ? 'yes' : 'no'}: ${info.subscribed.reason}`],
  ]);
  for (const p of info.subscribed.policies) out.write(`  ${p.role}: ${policyText(p)}\n`);
  out.write('\n');
  printMasks(out, info.masks);
  out.write('\n' + (info.rowFilters.length === 0 ? 'Row filters: none\n' : 'Row filters:\n'));
  printTable(
    out,
    [
      { header: 'APPLIES', cell: (f) => (f.applies ? 'yes' : 'no') },
      { header: 'POLICY', cell: (f) => policyText(f.policy) },
      { header: 'FILTER', cell: (f) => f.description },
    ],
    info.rowFilters,
    '',
  );
  if (info.skipped.length === 0) return;
  out.write('\nSkipped policies:\n');
  printTable(
    out,
    [
      { header: 'POLICY', cell: (s) => policyText(s.policy) },
      { header: 'REASON', cell: (s) => s.reason },
    ],
    info.skipped,
    '',
  );
}

/** `steward explain`: why a user sees a data source the way they do. */
export function explainCommand(program: Command, ctx: CliContext): void {
  program
    .command('explain')
    .description('Explain the policies a user meets on a data source: subscription, masks, row filters')
    .requiredOption('--user <username>', 'the username (or user id)')
    .requiredOption(
      '--datasource <ref>',
      'the data source id, or its table: connection/schema/table or connection/database/schema/table',
      dataSourceRef,
    )
    .option('--json', 'print the explanation as JSON')
    .action(async (flags: { user: string; datasource: DataSourceRef; json?: boolean }, command: Command) => {
      const client = clientFor(ctx, command);
      const [user, dataSourceId] = await Promise.all([
        resolveUser(client, flags.user),
        resolveDataSource(client, flags.datasource),
      ]);
      const info = await client.get<PolicyInfo>(`/dataSource/${dataSourceId}/users/${user.id}/policyInfo`);
      if (flags.json) return printJson(ctx.stdout, info);
      printPolicyInfo(ctx.stdout, info);
    });
}
