import { loadModule, type ParseResult, parseSync, type ScanToken, scanSync } from 'libpg-query';

let ready: Promise<void> | undefined;

/** PostgreSQL's own parser, ready to use: `parse` returns the raw parse tree, `scan` the tokens. */
export interface PgParser {
  readonly parse: (sql: string) => ParseResult;
  readonly scan: (sql: string) => readonly ScanToken[];
}

const parser: PgParser = {
  parse: parseSync,
  scan: (sql) => scanSync(sql).tokens,
};

/**
 * Resolves to PostgreSQL's parser once its WASM module is loaded; the module is loaded once per
 * process (a failed load is retried on the next call).
 */
export async function loadParser(): Promise<PgParser> {
  ready ??= loadModule().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  await ready;
  return parser;
}
