import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { guarded } from './cleanup.ts';
import { LOAD_OPTIONS_VAR, type LoadOptions, type LoadResult } from './load-protocol.ts';

const CLIENT = fileURLToPath(new URL('./load-client.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs the load client in a separate Node process against `options.url` and resolves with its result;
 * rejects when it exits with an error or does not finish within a minute past its planned duration.
 */
export function runLoadClient(options: LoadOptions): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLIENT], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, [LOAD_OPTIONS_VAR]: JSON.stringify(options) },
  });
  const stopChild = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  return guarded(stopChild, () => resultOf(child, options));
}

function resultOf(
  child: ChildProcessByStdio<null, Readable, null>,
  options: LoadOptions,
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.warmupMs + options.durationMs + 60_000);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`The load client exited with ${signal ?? `status ${code}`}.`));
        return;
      }
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as LoadResult);
      } catch {
        reject(new Error(`The load client printed no result: ${JSON.stringify(out.slice(0, 200))}`));
      }
    });
  });
}
