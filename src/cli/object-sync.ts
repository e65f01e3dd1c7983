import type { Job, SyncStarted } from './api-types.ts';
import { CliError } from './cli-error.ts';
import type { ApiClient } from './client.ts';
import type { CliContext } from './context.ts';
import { followBulk } from './follow-bulk.ts';
import { objectPathText } from './object-path.ts';
import { cellText, printJson } from './output.ts';

/** The flags of a command that starts an object sync: `--no-wait`, `--timeout` and `--json`. */
export interface SyncFlags {
  readonly wait: boolean;
  readonly timeout?: number;
  readonly json?: boolean;
}

/** Lists the non-zero counts a sync job reported, as `databases 1, schemas 2, added 5`. */
function countsText(output: Job['output']): string {
  if (typeof output !== 'object' || output === null) return '';
  return Object.entries(output)
    .filter(([, value]) => typeof value === 'number' && value !== 0)
    .map(([name, value]) => `${cellText(name)} ${value}`)
    .join(', ');
}

/**
 * Follows the object sync an operation started, unless `--no-wait`, with progress on stderr; prints the
 * outcome (with `--json`: `{objectPath, bulkId, jobs}`, `jobs` only when waited) and throws a CliError
 * when the sync did not complete or the wait timed out.
 */
export async function followSync(
  ctx: CliContext,
  client: ApiClient,
  started: SyncStarted,
  flags: SyncFlags,
): Promise<void> {
  const path = objectPathText(started.objectPath);
  if (!flags.wait) {
    if (flags.json) return printJson(ctx.stdout, started);
    ctx.stdout.write(
      `Object sync of ${cellText(path)} started (bulk ${started.bulkId}); ` +
        `follow it with: steward jobs wait ${started.bulkId}\n`,
    );
    return;
  }
  const result = await followBulk(ctx, client, started.bulkId, flags.timeout);
  const unsuccessful = result.jobs.filter((j) => j.state !== 'completed');
  if (flags.json) printJson(ctx.stdout, { ...started, jobs: result.jobs });
  if (result.timedOut) {
    throw new CliError(
      `timed out after ${flags.timeout} s waiting for the object sync of ${cellText(path)}; ` +
        `follow it with: steward jobs wait ${started.bulkId}`,
    );
  }
  if (unsuccessful.length > 0) {
    const reasons = unsuccessful.map((j) => `${j.state}${j.error ? `: ${cellText(j.error)}` : ''}`);
    throw new CliError(`the object sync of ${cellText(path)} did not complete (${reasons.join('; ')})`);
  }
  if (!flags.json) {
    const counts = result.jobs.map((j) => countsText(j.output)).filter((t) => t !== '');
    ctx.stdout.write(
      `Object sync of ${cellText(path)} completed${counts.length ? `: ${counts.join('; ')}` : ''}.\n`,
    );
  }
}
