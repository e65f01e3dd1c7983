/**
 * An in-process database (PGlite) has a single session: statements of two clients would interleave
 * inside each other's transactions. Every client of one embedded database therefore holds its lock
 * for as long as it is open, and waits for the previous holder to close.
 */
const tails = new Map<string, Promise<void>>();

/** Waits for the embedded database `key`, then returns the function that releases it. */
export async function lockEmbedded(key: string): Promise<() => void> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  await previous;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    release();
    if (tails.get(key) === tail) tails.delete(key);
  };
}

/** Runs `fn` while holding the embedded database `key`. */
export async function withEmbeddedLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const release = await lockEmbedded(key);
  try {
    return await fn();
  } finally {
    release();
  }
}

/** The key under which clients of one embedded database (host name and database) take turns. */
export function embeddedDatabaseKey(hostname: string, database: string): string {
  return `${hostname}/${database}`;
}
