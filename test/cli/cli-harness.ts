import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { resolveServerConfig } from '../../src/config.ts';
import type { JobKind } from '../../src/jobs/job-kind.ts';
import type { PlatformRegistry } from '../../src/platforms/platform.ts';
import type { AppDeps } from '../../src/server/deps.ts';
import { BOOTSTRAP_KEY_FILE, type RunningServer, startServer } from '../../src/server/start.ts';

const BIN = new URL('../../bin/steward.mjs', import.meta.url).pathname;

/** What one run of the CLI printed and how it exited. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of one CLI run: extra environment (undefined removes a variable) and a config directory. */
export interface RunOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly configDir?: string;
  /** Called with each piece of stderr as it arrives, to act while the command runs. */
  readonly onStderr?: (chunk: string) => void;
}

/** A real server started in-process on a fresh data directory, and a way to run the CLI against it. */
export interface CliHarness {
  readonly server: RunningServer;
  readonly adminKey: string;
  /** A config directory no profile was written to yet (each `freshConfigDir` call makes another). */
  readonly configDir: string;
  /** Every run so far, for checks that span all output. */
  readonly runs: CliRun[];
  freshConfigDir(): string;
  /** Runs `steward <args>` as a child process (no TTY), with `STEWARD_CONFIG_DIR` set. */
  run(args: readonly string[], options?: RunOptions): Promise<CliRun>;
  close(): Promise<void>;
}

/** A job kind for CLI tests: reports progress over `items` items, `delayMs` apart, then completes. */
export const STEPS_KIND: JobKind<AppDeps, { items?: number; delayMs?: number }> = {
  type: 'cli-test-steps',
  async run(ctx) {
    const items = ctx.payload.items ?? 3;
    ctx.progress(0, items);
    for (let i = 1; i <= items; i++) {
      await sleep(ctx.payload.delayMs ?? 100, undefined, { signal: ctx.signal });
      ctx.item(`item-${i}`, 'succeeded');
      ctx.progress(i, items);
    }
    return { processed: items };
  },
};

/** A job kind for CLI tests that always fails, with a single attempt. */
export const FAILING_KIND: JobKind<AppDeps, Record<string, never>> = {
  type: 'cli-test-fails',
  maxAttempts: 1,
  async run() {
    throw new Error('the test job failed on purpose');
  },
};

/** Options of the harness's server. */
export interface HarnessOptions {
  /** The platforms the server reaches (default: the real registry). */
  readonly platforms?: PlatformRegistry;
  /** Run the embedded demo warehouse (off by default: it takes seconds to create). */
  readonly demo?: boolean;
}

/** Starts a server with the CLI test job kinds on a temporary data directory. */
export async function startCliHarness(options: HarnessOptions = {}): Promise<CliHarness> {
  const root = mkdtempSync(join(tmpdir(), 'steward-cli-'));
  const dataDir = join(root, 'data');
  const server = await startServer(
    resolveServerConfig(
      { port: '0', host: '127.0.0.1', dataDir },
      { STEWARD_DEMO: options.demo ? 'true' : 'false' },
    ),
    {
      announce: () => {},
      logger: pino({ level: 'silent' }),
      extraJobKinds: [STEPS_KIND, FAILING_KIND],
      runner: { pollMs: 100, progressMs: 100 },
      ...(options.platforms ? { platforms: options.platforms } : {}),
    },
  );
  const adminKey = readFileSync(join(dataDir, BOOTSTRAP_KEY_FILE), 'utf8').trim();
  let dirs = 0;
  const freshConfigDir = () => join(root, `config-${++dirs}`);
  const configDir = freshConfigDir();
  const runs: CliRun[] = [];
  return {
    server,
    adminKey,
    configDir,
    runs,
    freshConfigDir,
    run(args, options = {}) {
      const env: NodeJS.ProcessEnv = { ...process.env, STEWARD_CONFIG_DIR: options.configDir ?? configDir };
      delete env['STEWARD_URL'];
      delete env['STEWARD_API_KEY'];
      for (const [name, value] of Object.entries(options.env ?? {})) {
        if (value === undefined) delete env[name];
        else env[name] = value;
      }
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk;
        });
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk;
          options.onStderr?.(chunk);
        });
        child.on('error', reject);
        child.on('close', (code) => {
          const run = { code, stdout, stderr };
          runs.push(run);
          resolve(run);
        });
      });
    },
    async close() {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The arguments that point the CLI at the harness's server with the admin key. */
export function asAdmin(harness: CliHarness): string[] {
  return ['--url', harness.server.url, '--api-key', harness.adminKey];
}

/** Returns the URL of a local port nothing listens on, so connecting to it is refused. */
export async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}
