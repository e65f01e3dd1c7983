import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** A held lock on a data directory; release it on shutdown. */
export interface DataDirLock {
  readonly path: string;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the exclusive lock on a data directory, so only one Steward process opens its embedded
 * database (PGlite has no lock of its own and two owners would corrupt it). A lock left by a
 * process that is gone is taken over.
 */
export function lockDataDir(dir: string): DataDirLock {
  const path = join(dir, 'steward.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      return {
        path,
        release() {
          if (released) return;
          released = true;
          rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: { pid?: number; host?: string } = {};
      try {
        holder = JSON.parse(readFileSync(path, 'utf8')) as typeof holder;
      } catch {
        // A half-written lock file is from a process that died while writing it.
      }
      const sameHost = holder.host === undefined || holder.host === hostname();
      if (typeof holder.pid === 'number' && sameHost && isAlive(holder.pid)) {
        throw new Error(
          `The data directory ${dir} is in use by another Steward process (pid ${holder.pid}). ` +
            'Stop it, or start this one with another --data-dir.',
        );
      }
      if (!sameHost) {
        throw new Error(`The data directory ${dir} is locked by a process on host ${holder.host}.`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not lock the data directory ${dir}.`);
}
