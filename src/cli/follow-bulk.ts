import type { Job } from './api-types.ts';
import type { ApiClient } from './client.ts';
import type { CliContext } from './context.ts';
import { progressFor } from './progress.ts';
import { type WaitResult, waitForBulk } from './wait-for-bulk.ts';

/**
 * Waits for every job of a bulk operation to finish (or for `timeoutSeconds` to pass), showing progress
 * on stderr: a bar on a terminal, plain lines otherwise.
 */
export async function followBulk(
  ctx: CliContext,
  client: ApiClient,
  bulkId: string,
  timeoutSeconds: number | undefined,
): Promise<WaitResult> {
  const display = progressFor(ctx.stderr);
  let latest: readonly Job[] = [];
  try {
    return await waitForBulk(client, bulkId, {
      timeoutMs: timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000,
      onUpdate: (list) => {
        latest = list;
        display.update(list);
      },
    });
  } finally {
    display.finish(latest);
  }
}
