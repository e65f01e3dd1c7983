import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Sends a JSON answer. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): undefined {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
  return undefined;
}

/** Reads a request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** What the simulated warehouse answers to one SQL text. */
export interface FakeStatement {
  readonly columns?: ReadonlyArray<{ name: string; type_name: string }>;
  readonly rows?: ReadonlyArray<ReadonlyArray<string | null>>;
  /** Rows per result chunk (default: all in one). */
  readonly chunkSize?: number;
  /** How many status polls answer PENDING/RUNNING before the statement succeeds (default 1). */
  readonly pendingPolls?: number;
  /** Makes the statement end FAILED with this error. */
  readonly error?: { readonly error_code: string; readonly message: string; readonly sql_state?: string };
}

/** A statement as submitted to the Statement Execution API. */
export interface SubmittedStatement {
  readonly statement: string;
  readonly warehouse_id: string;
  readonly parameters?: ReadonlyArray<{ name: string; value?: string | null; type?: string }>;
  readonly [field: string]: unknown;
}

interface RunningStatement {
  readonly id: string;
  readonly spec: FakeStatement;
  pollsLeft: number;
  state: string;
}

/**
 * A simulated SQL warehouse behind the SQL Statement Execution API 2.0: statements answer PENDING,
 * then RUNNING for a configurable number of polls, then SUCCEEDED with their rows in JSON_ARRAY
 * chunks linked by `next_chunk_internal_link`; unknown SQL ends FAILED; cancel is honoured.
 */
export class FakeWarehouse {
  readonly ids = new Set<string>(['wh1']);
  readonly statements = new Map<string, FakeStatement>();
  readonly canceled: string[] = [];
  readonly submitted: Array<Record<string, unknown>> = [];
  /**
   * Answers statements whose text is not registered in `statements` (tests that simulate tables by
   * reading the statement and its parameters); undefined falls through to the parse error.
   */
  handler: ((body: SubmittedStatement) => FakeStatement | undefined) | undefined;
  private readonly running = new Map<string, RunningStatement>();

  private statementView(s: RunningStatement): unknown {
    const status =
      s.state === 'FAILED' && s.spec.error
        ? { state: s.state, error: s.spec.error, sql_state: s.spec.error.sql_state }
        : { state: s.state };
    if (s.state !== 'SUCCEEDED') return { statement_id: s.id, status };
    const columns = (s.spec.columns ?? []).map((c, i) => ({ ...c, type_text: c.type_name, position: i }));
    const chunkCount = Math.max(
      1,
      Math.ceil((s.spec.rows?.length ?? 0) / (s.spec.chunkSize ?? Number.MAX_SAFE_INTEGER)),
    );
    return {
      statement_id: s.id,
      status,
      manifest: {
        format: 'JSON_ARRAY',
        schema: { column_count: columns.length, columns },
        total_chunk_count: chunkCount,
      },
      result: this.chunk(s, 0),
    };
  }

  private chunk(s: RunningStatement, index: number): unknown {
    const rows = s.spec.rows ?? [];
    const size = s.spec.chunkSize ?? Math.max(1, rows.length);
    const data = rows.slice(index * size, (index + 1) * size);
    const more = (index + 1) * size < rows.length;
    return {
      chunk_index: index,
      row_offset: index * size,
      row_count: data.length,
      data_array: data,
      ...(more
        ? {
            next_chunk_index: index + 1,
            next_chunk_internal_link: `/api/2.0/sql/statements/${s.id}/result/chunks/${index + 1}`,
          }
        : {}),
    };
  }

  /** Answers a request to the Statement Execution API (`/api/2.0/sql/statements...`). */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === 'POST' && path === '/api/2.0/sql/statements') {
      const body = JSON.parse(await readBody(req)) as SubmittedStatement;
      this.submitted.push(body);
      if (!this.ids.has(body.warehouse_id)) {
        return sendJson(res, 404, {
          error_code: 'RESOURCE_DOES_NOT_EXIST',
          message: `Warehouse ${body.warehouse_id} does not exist.`,
        });
      }
      const known = this.statements.get(body.statement) ?? this.handler?.(body);
      const spec: FakeStatement = known ?? {
        error: {
          error_code: 'BAD_REQUEST',
          message: '[PARSE_SYNTAX_ERROR] The simulated warehouse does not know this statement.',
          sql_state: '42601',
        },
        pendingPolls: 0,
      };
      const s: RunningStatement = {
        id: `st-${randomBytes(6).toString('hex')}`,
        spec,
        pollsLeft: spec.pendingPolls ?? 1,
        state: 'PENDING',
      };
      if (s.pollsLeft === 0) s.state = spec.error ? 'FAILED' : 'SUCCEEDED';
      this.running.set(s.id, s);
      return sendJson(res, 200, this.statementView(s));
    }
    const [, id = '', rest = ''] = /^\/api\/2\.0\/sql\/statements\/([^/]+)(.*)$/.exec(path) ?? [];
    const s = this.running.get(id);
    if (!s) return sendJson(res, 404, { error_code: 'NOT_FOUND', message: `Statement ${id} not found.` });
    if (req.method === 'POST' && rest === '/cancel') {
      s.state = 'CANCELED';
      this.canceled.push(id);
      return sendJson(res, 200, {});
    }
    const chunk = /^\/result\/chunks\/(\d+)$/.exec(rest);
    if (chunk) return sendJson(res, 200, this.chunk(s, Number(chunk[1])));
    if (s.state === 'PENDING' || s.state === 'RUNNING') {
      s.pollsLeft--;
      s.state = s.pollsLeft > 0 ? 'RUNNING' : s.spec.error ? 'FAILED' : 'SUCCEEDED';
    }
    sendJson(res, 200, this.statementView(s));
  }
}
