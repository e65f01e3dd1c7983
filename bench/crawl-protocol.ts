import type { Backend } from './benchmark.ts';

/** What one crawl run is asked to do; passed as JSON in the `STEWARD_BENCH_CRAWL` variable. */
export interface CrawlOptions {
  /** The metadata store back end the run syncs into. */
  readonly backend: Backend;
  /** The `connection` object of the connection payload for the warehouse. */
  readonly connection: Record<string, unknown>;
  /** The warehouse database on the local server, altered as a superuser before the "changed" re-sync. */
  readonly database: string;
}

/** The environment variable that carries the crawl options to the run's process. */
export const CRAWL_OPTIONS_VAR = 'STEWARD_BENCH_CRAWL';

/** Parses and checks crawl options. */
export function parseCrawlOptions(json: string | undefined): CrawlOptions {
  if (!json) throw new Error(`Set ${CRAWL_OPTIONS_VAR} to the crawl options as JSON.`);
  const raw = JSON.parse(json) as Record<string, unknown>;
  const backend = raw['backend'];
  if (backend !== 'embedded' && backend !== 'postgres')
    throw new Error('Crawl option backend must be embedded or postgres.');
  const connection = raw['connection'];
  if (typeof connection !== 'object' || connection === null)
    throw new Error('Crawl option connection must be an object.');
  const database = raw['database'];
  if (typeof database !== 'string' || database === '')
    throw new Error('Crawl option database must be a string.');
  return { backend, connection: connection as Record<string, unknown>, database };
}
