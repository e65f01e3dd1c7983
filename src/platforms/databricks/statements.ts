import { AppError } from '../../errors/index.ts';
import type { DatabricksSession } from './session.ts';
import { duration, pause, redact } from './transport.ts';

/** A named parameter of a statement, referenced in its text as `:name`. */
export interface StatementParameter {
  readonly name: string;
  /** The value as text; null for SQL NULL. */
  readonly value: string | null;
  /** The SQL type to cast the value to, e.g. `INT`; STRING when absent. */
  readonly type?: string;
}

/** Options of one statement. */
export interface StatementOptions {
  readonly signal?: AbortSignal;
  readonly parameters?: readonly StatementParameter[];
  /** Default catalog and schema of the statement, as `USE CATALOG` / `USE SCHEMA` would set them. */
  readonly catalog?: string;
  readonly schema?: string;
}

/** The result of a statement: its columns and every row, each value as text or null (JSON_ARRAY format). */
export interface StatementResult {
  readonly statementId: string;
  readonly columns: ReadonlyArray<{ readonly name: string; readonly typeName: string }>;
  readonly rows: ReadonlyArray<ReadonlyArray<string | null>>;
}

interface ResultChunk {
  readonly data_array?: Array<Array<string | null>>;
  readonly next_chunk_internal_link?: string;
}
interface StatementResponse {
  readonly statement_id?: string;
  readonly status?: {
    readonly state?: string;
    readonly error?: { readonly error_code?: string; readonly message?: string };
    readonly sql_state?: string;
  };
  readonly manifest?: {
    readonly schema?: { readonly columns?: ReadonlyArray<{ name: string; type_name?: string }> };
  };
  readonly result?: ResultChunk;
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELED', 'CLOSED']);
const CHUNK_PATH = /^\/api\/2\.0\/sql\/statements\/[^/?#]+\/result\/chunks\/\d+$/;

function failure(response: StatementResponse, session: DatabricksSession): AppError {
  const state = response.status?.state ?? 'UNKNOWN';
  const error = response.status?.error;
  const sqlState = response.status?.sql_state ?? '';
  const why = redact(
    [error?.error_code, error?.message].filter(Boolean).join(': ') || state,
    session.client.auth.secrets(),
  );
  const extensions = { statementState: state, ...(sqlState ? { sqlState } : {}) };
  if (state === 'CANCELED')
    return new AppError('PLATFORM_ERROR', `The statement was canceled on Databricks (${why}).`, {
      extensions,
    });
  if (sqlState === '42501' || /INSUFFICIENT_PERMISSIONS|PERMISSION_DENIED/.test(why)) {
    return new AppError('PLATFORM_FORBIDDEN', `Databricks denied the statement (${why}).`, { extensions });
  }
  return new AppError('PLATFORM_ERROR', `The statement failed on Databricks (${why}).`, { extensions });
}

async function cancel(session: DatabricksSession, id: string): Promise<void> {
  await session.client.post(`/api/2.0/sql/statements/${encodeURIComponent(id)}/cancel`, {}).catch(() => {});
}

async function waitFor(
  session: DatabricksSession,
  first: StatementResponse,
  id: string,
  signal?: AbortSignal,
): Promise<StatementResponse> {
  const deadline = session.settings.now() + session.settings.statementTimeoutMs;
  let response = first;
  let interval = session.settings.pollIntervalMs;
  try {
    while (!TERMINAL.has(response.status?.state ?? '')) {
      if (session.settings.now() > deadline) {
        await cancel(session, id);
        const limit = duration(session.settings.statementTimeoutMs);
        throw new AppError(
          'PLATFORM_ERROR',
          `The statement did not finish within ${limit} and was canceled.`,
        );
      }
      await pause(interval, signal);
      interval = Math.min(2000, Math.ceil(interval * 1.5));
      response = await session.client.get<StatementResponse>(
        `/api/2.0/sql/statements/${encodeURIComponent(id)}`,
        undefined,
        signal,
      );
    }
  } catch (error) {
    if (signal?.aborted) await cancel(session, id);
    throw error;
  }
  return response;
}

/**
 * Runs one SQL statement on the session's SQL warehouse through the Statement Execution API: waits up
 * to 30 s server-side, then polls until the statement ends, and gathers every chunk of the inline
 * JSON result. Cancels the statement when `signal` aborts. Throws PLATFORM_ERROR (or FORBIDDEN) with
 * Databricks' error code and message when it fails.
 */
export async function executeStatement(
  session: DatabricksSession,
  sql: string,
  options: StatementOptions = {},
): Promise<StatementResult> {
  const { signal } = options;
  if (!session.warehouseId) {
    throw new AppError(
      'PLATFORM_ERROR',
      `The httpPath ${session.connection.httpPath} names no SQL warehouse; statements need one (/sql/1.0/warehouses/<id>).`,
    );
  }
  const submitted = await session.client.post<StatementResponse>(
    '/api/2.0/sql/statements',
    {
      statement: sql,
      warehouse_id: session.warehouseId,
      wait_timeout: '30s',
      on_wait_timeout: 'CONTINUE',
      disposition: 'INLINE',
      format: 'JSON_ARRAY',
      ...(options.catalog ? { catalog: options.catalog } : {}),
      ...(options.schema ? { schema: options.schema } : {}),
      ...(options.parameters ? { parameters: options.parameters } : {}),
    },
    signal,
  );
  const id = submitted.statement_id;
  if (!id) throw new AppError('PLATFORM_ERROR', 'Databricks accepted the statement without a statement_id.');
  const done = await waitFor(session, submitted, id, signal);
  if (done.status?.state !== 'SUCCEEDED') throw failure(done, session);

  const rows: Array<ReadonlyArray<string | null>> = [...(done.result?.data_array ?? [])];
  let next = done.result?.next_chunk_internal_link;
  while (next) {
    if (!CHUNK_PATH.test(next))
      throw new AppError('PLATFORM_ERROR', 'Databricks returned an unexpected result chunk link.');
    const chunk: ResultChunk = await session.client.get<ResultChunk>(next, undefined, signal);
    rows.push(...(chunk.data_array ?? []));
    next = chunk.next_chunk_internal_link;
  }
  const columns = (done.manifest?.schema?.columns ?? []).map((c) => ({
    name: c.name,
    typeName: c.type_name ?? '',
  }));
  return { statementId: id, columns, rows };
}
