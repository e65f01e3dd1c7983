import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { BOOTSTRAP_KEY_FILE } from '../../src/server/start.ts';
import { jobRow, waitFor } from '../support/job-helpers.ts';
import { createServerStore, type TestStore } from '../support/store.ts';

const FIXTURE = new URL('./fixtures/run-server.ts', import.meta.url).pathname;
const REPO_ROOT = new URL('../../', import.meta.url).pathname;
const BOUND_MS = 60_000;

/** A server process started from the fixture. */
interface ServerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  readonly jobId: string | undefined;
  readonly exited: Promise<void>;
  readonly stderr: string[];
}

/** A line the probe job kind appends to its marker file. */
interface Marker {
  readonly event: 'start' | 'end';
  readonly pid: number;
  readonly attempt: number;
  readonly at: number;
}

const children = new Set<ChildProcess>();

after(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      STEWARD_DATABASE_URL: '',
      STEWARD_SECRET_KEY: '',
      STEWARD_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk) => stderr.push(String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The server process was not ready within ${BOUND_MS} ms: ${stderr.join('')}`));
    }, BOUND_MS);
    child.stdout!.on('data', (chunk) => {
      out += String(chunk);
      const line = out.split('\n').find((l) => l.startsWith('{"ready"'));
      if (!line) return;
      clearTimeout(timer);
      const ready = JSON.parse(line) as { ready: string; pid: number; jobId?: string };
      resolve({ child, pid: ready.pid, url: ready.ready, jobId: ready.jobId, exited, stderr });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`The server process exited (${code ?? signal}) before it was ready: ${stderr.join('')}`),
      );
    });
  });
}

async function stopGracefully(server: ServerProcess): Promise<void> {
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), BOUND_MS);
  await server.exited;
  clearTimeout(timer);
}

function markers(dir: string, jobId: string): Marker[] {
  const file = join(dir, `${jobId}.log`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Marker);
}

async function fetchJob(server: ServerProcess, dataDir: string, jobId: string) {
  const key = readFileSync(join(dataDir, BOOTSTRAP_KEY_FILE), 'utf8').trim();
  const response = await fetch(`${server.url}/jobs/${jobId}`, { headers: { authorization: key } });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as {
    state: string;
    attempts: number;
    output: Record<string, unknown> | null;
  };
}

function lockHolder(dataDir: string): number | undefined {
  const file = join(dataDir, 'steward.lock');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid : undefined;
}

/**
 * Starts a server that enqueues a probe job and hangs in it, SIGKILLs that process once the job runs,
 * starts a second server on the same store and checks the job is run again there and completes.
 */
async function jobSurvivesKill(env: Record<string, string>, embedded: boolean): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-crash-data-'));
  const markerDir = mkdtempSync(join(tmpdir(), 'steward-crash-markers-'));
  const common = { ...env, STEWARD_DATA_DIR: dataDir, PROBE_MARKER_DIR: markerDir };
  try {
    const first = await startServerProcess({ ...common, PROBE_HANG: '1', PROBE_ENQUEUE: '1' });
    const jobId = first.jobId!;
    assert.ok(jobId, 'the first server enqueued the probe job');
    await waitFor(
      'the probe job to start in the first process',
      () => markers(markerDir, jobId).some((m) => m.event === 'start' && m.pid === first.pid),
      { timeoutMs: BOUND_MS, intervalMs: 50 },
    );
    const running = await fetchJob(first, dataDir, jobId);
    assert.equal(running.state, 'active');
    assert.equal(running.attempts, 1);

    first.child.kill('SIGKILL');
    await first.exited;
    const killedAt = Date.now();
    if (embedded)
      assert.equal(lockHolder(dataDir), first.pid, 'the killed process left its lock file behind');

    const second = await startServerProcess({ ...common, PROBE_HANG: '0' });
    if (embedded)
      assert.equal(lockHolder(dataDir), second.pid, 'the second process took the stale lock over');
    try {
      await waitFor(
        'the probe job to finish in the second process',
        () => markers(markerDir, jobId).some((m) => m.event === 'end'),
        { timeoutMs: BOUND_MS, intervalMs: 50 },
      );
      const done = await waitFor(
        'the job to be completed',
        async () => {
          const job = await fetchJob(second, dataDir, jobId);
          return job.state === 'completed' && job;
        },
        { timeoutMs: BOUND_MS, intervalMs: 100 },
      );
      assert.equal(done.attempts, 2, 'the killed attempt counted, then one more');
      assert.deepEqual(done.output, { pid: second.pid, items: { succeeded: 0, failed: 0, skipped: 0 } });
    } finally {
      await stopGracefully(second);
    }
    if (embedded) assert.equal(lockHolder(dataDir), undefined, 'the second process released its lock');

    const runs = markers(markerDir, jobId);
    assert.deepEqual(
      runs.map(({ event, pid, attempt }) => ({ event, pid, attempt })),
      [
        { event: 'start', pid: first.pid, attempt: 1 },
        { event: 'start', pid: second.pid, attempt: 2 },
        { event: 'end', pid: second.pid, attempt: 2 },
      ],
    );
    assert.ok(runs[1]!.at >= killedAt, 'the second run started only after the first process was gone');
    return jobId;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(markerDir, { recursive: true, force: true });
  }
}

describe('job crash recovery (PostgreSQL server store)', () => {
  let store: TestStore | undefined;
  after(async () => {
    await store?.close();
  });

  test('a job whose server process is killed is run again by the next process and completes', async () => {
    store = await createServerStore();
    const jobId = await jobSurvivesKill({ STEWARD_DATABASE_URL: store.url! }, false);
    const row = await jobRow(store.db, jobId);
    assert.equal(row.state, 'completed');
    assert.equal(row.attempts, 2);
    assert.equal(row.lease_owner, null);
  });
});

describe('job crash recovery (embedded store)', () => {
  test('a job whose server process is killed is run again by the next process on the same data directory', async () => {
    await jobSurvivesKill({}, true);
  });
});
