import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { isInterrupted } from './cleanup.ts';
import { note } from './report.ts';

const CHECK_MS = 5_000;

/**
 * Waits until the 1-minute load average is below `threshold`, at most `maxSeconds` (performance.md's
 * `waitquiet.sh`), and notes the load it starts at, or that it gave up waiting.
 */
export async function waitForQuiet(label: string, threshold = 1.5, maxSeconds = 60): Promise<void> {
  const started = performance.now();
  const waited = () => Math.round((performance.now() - started) / 1000);
  while (loadavg()[0]! >= threshold && waited() < maxSeconds && !isInterrupted()) await sleep(CHECK_MS);
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  note(
    loadavg()[0]! < threshold
      ? `${label}: load average ${load} at start (waited ${waited()} s)`
      : `${label}: load average still ${load} after waiting ${waited()} s for it to fall below ${threshold}; measuring anyway (figures are skewed by other work)`,
  );
}
