import type { Command } from 'commander';
import { AUDIT_STATUSES, type AuditEvent, type Next } from '../api-types.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { type Column, printJson, printTable, shortTime } from '../output.ts';
import { integerIn, isoTime, oneOf, repeatable } from '../parsers.ts';

interface AuditFlags {
  readonly actor?: string;
  readonly action?: string[];
  readonly status?: (typeof AUDIT_STATUSES)[number];
  readonly target?: string;
  readonly since?: string;
  readonly until?: string;
  readonly limit?: number;
  readonly json?: boolean;
}

const SHOWN_TARGETS = 3;

function targetsText(event: AuditEvent): string {
  const names = event.targets.map((t) => `${t.type}:${t.id}`);
  const more = names.length - SHOWN_TARGETS;
  return names.slice(0, SHOWN_TARGETS).join(', ') + (more > 0 ? ` (+${more} more)` : '');
}

const COLUMNS: ReadonlyArray<Column<AuditEvent>> = [
  { header: 'TIME', cell: (e) => shortTime(e.eventTimestamp) },
  { header: 'ACTOR', cell: (e) => e.actor.name },
  { header: 'ACTION', cell: (e) => e.action },
  { header: 'STATUS', cell: (e) => e.actionStatus },
  { header: 'TARGETS', cell: targetsText },
];

/** `steward audit ls`: searches the audit log, newest first (needs the AUDIT permission). */
export function auditCommand(program: Command, ctx: CliContext): void {
  const audit = program.command('audit').description('The audit log');
  audit
    .command('ls')
    .description('List audit events, newest first')
    .option('--actor <user>', 'only events by this user (id or username)')
    .option('--action <action>', 'only this action, such as ApiKeyCreated (repeatable)', repeatable)
    .option('--status <status>', `only this outcome: ${AUDIT_STATUSES.join(', ')}`, oneOf(AUDIT_STATUSES))
    .option('--target <target>', 'only events about this target (type:id, or a bare id)')
    .option('--since <time>', 'only events at or after this ISO 8601 time', isoTime)
    .option('--until <time>', 'only events before this ISO 8601 time', isoTime)
    .option('--limit <n>', 'at most this many events (1-1000, default 100)', integerIn(1, 1000))
    .option('--json', 'print JSON')
    .action(async (flags: AuditFlags, command: Command) => {
      const page = await clientFor(ctx, command).get<{ events: AuditEvent[]; next: Next }>('/audit', {
        actor: flags.actor,
        action: flags.action,
        actionStatus: flags.status,
        target: flags.target,
        startDate: flags.since,
        endDate: flags.until,
        size: flags.limit,
      });
      if (flags.json) return printJson(ctx.stdout, page);
      printTable(ctx.stdout, COLUMNS, page.events, 'No audit events.');
      if (page.next !== null) ctx.stderr.write('(more events exist; raise --limit or narrow the filters)\n');
    });
}
