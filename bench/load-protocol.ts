/** What the load client is asked to do; passed as JSON in the `STEWARD_BENCH_LOAD` variable. */
export interface LoadOptions {
  /** The server's base URL; must be on 127.0.0.1. */
  readonly url: string;
  readonly path: string;
  /** Sent as the `Authorization` header. */
  readonly apiKey: string;
  readonly connections: number;
  readonly warmupMs: number;
  readonly durationMs: number;
}

/** What the load client reports on stdout, as one JSON line, about its measured window. */
export interface LoadResult {
  /** 200 answers completed within the measured window. */
  readonly ok: number;
  /** Non-200 answers and failed requests completed within the measured window. */
  readonly errors: number;
  readonly windowMs: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** The environment variable that carries the load options to the client process. */
export const LOAD_OPTIONS_VAR = 'STEWARD_BENCH_LOAD';

function positiveInt(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new Error(`Load option ${name} must be a positive integer.`);
  }
  return value;
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`Load option ${name} must be a string.`);
  return value;
}

/** Parses and checks load options, refusing any target other than 127.0.0.1. */
export function parseLoadOptions(json: string | undefined): LoadOptions {
  if (!json) throw new Error(`Set ${LOAD_OPTIONS_VAR} to the load options as JSON.`);
  const raw = JSON.parse(json) as Record<string, unknown>;
  const options: LoadOptions = {
    url: text(raw['url'], 'url'),
    path: text(raw['path'], 'path'),
    apiKey: text(raw['apiKey'], 'apiKey'),
    connections: positiveInt(raw['connections'], 'connections'),
    warmupMs: positiveInt(raw['warmupMs'], 'warmupMs'),
    durationMs: positiveInt(raw['durationMs'], 'durationMs'),
  };
  const host = new URL(options.path, options.url).hostname;
  if (host !== '127.0.0.1') throw new Error(`The load client only sends traffic to 127.0.0.1, not ${host}.`);
  return options;
}
