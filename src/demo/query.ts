import type { PGlite } from '@electric-sql/pglite';
import { AppError, fieldError, safeErrorMessage } from '../errors/index.ts';
import { embeddedDatabaseKey, withEmbeddedLock } from '../platforms/embedded-lock.ts';
import { loadParser } from '../policy/where/load-parser.ts';
import { DEMO_DATABASE, DEMO_HOST } from './warehouse.ts';

/** The rows a query returned, as the API shows them. */
export interface QueryResult {
  readonly columns: string[];
  readonly rows: unknown[][];
  readonly rowCount: number;
  readonly truncated: boolean;
}

/** Functions a query run as someone else may not call: they could change the role or settings mid-query. */
const FORBIDDEN_FUNCTIONS = new Set(['set_config', 'pg_reload_conf', 'dblink', 'dblink_exec']);

function* funcNames(node: unknown): Generator<string> {
  if (Array.isArray(node)) {
    for (const item of node) yield* funcNames(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'FuncCall') {
      const names = (value as { funcname?: { String?: { sval?: string } }[] }).funcname ?? [];
      const last = names[names.length - 1]?.String?.sval;
      if (last) yield last.toLowerCase();
    }
    yield* funcNames(value);
  }
}

/** Checks that the text is one read-only query (SELECT, VALUES, TABLE, or EXPLAIN of one) with no role-changing call. */
async function checkQuery(text: string): Promise<void> {
  const parser = await loadParser();
  let stmts: { stmt: Record<string, unknown> }[];
  try {
    stmts = parser.parse(text).stmts as never;
  } catch (error) {
    throw new AppError('QUERY_FAILED', `The query does not parse: ${safeErrorMessage(error, 200)}.`, {
      errors: [fieldError('body', ['sql'], 'does not parse')],
    });
  }
  const kinds = stmts.map((s) => Object.keys(s.stmt)[0]);
  if (stmts.length !== 1 || !(kinds[0] === 'SelectStmt' || kinds[0] === 'ExplainStmt')) {
    throw new AppError('QUERY_FAILED', 'Only one SELECT (or EXPLAIN of one) can be run as another person.', {
      errors: [fieldError('body', ['sql'], 'must be exactly one SELECT statement')],
    });
  }
  for (const name of funcNames(stmts)) {
    if (FORBIDDEN_FUNCTIONS.has(name)) {
      throw new AppError(
        'QUERY_FAILED',
        `The function ${name} cannot be called in a query run as another person.`,
        {
          errors: [fieldError('body', ['sql'], `calls ${name}`)],
        },
      );
    }
  }
}

/**
 * Runs one read-only query in the embedded demo warehouse as a database role: inside a READ ONLY
 * transaction with the role set for that transaction only, the Steward mirror schemas (masked views)
 * first on the search path, and everything rolled back afterwards. At most `maxRows` rows come back.
 */
export async function runAsRole(
  pglite: PGlite,
  role: string,
  text: string,
  maxRows = 1000,
): Promise<QueryResult> {
  await checkQuery(text);
  return withEmbeddedLock(embeddedDatabaseKey(DEMO_HOST, DEMO_DATABASE), () =>
    pglite.transaction(async (tx) => {
      try {
        await tx.query('SET TRANSACTION READ ONLY');
        await tx.query(
          `SELECT set_config('search_path',
                  coalesce((SELECT string_agg(quote_ident(nspname), ', ' ORDER BY nspname) FROM pg_namespace
                             WHERE nspname LIKE 'steward\\_%' AND nspname <> 'steward') || ', ', '')
                  || '"$user", public, ' ||
                  coalesce((SELECT string_agg(quote_ident(nspname), ', ' ORDER BY nspname) FROM pg_namespace
                             WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT LIKE 'steward%'
                               AND nspname NOT IN ('information_schema', 'public')), ''), true)`,
        );
        await tx.query(`SELECT set_config('role', $1, true)`, [role]);
        const result = await tx.query<unknown[]>(text, [], { rowMode: 'array' });
        const rows = result.rows.slice(0, maxRows);
        return {
          columns: result.fields.map((f) => f.name),
          rows,
          rowCount: result.rows.length,
          truncated: result.rows.length > maxRows,
        };
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw new AppError('QUERY_FAILED', `The warehouse answered: ${safeErrorMessage(error, 300)}.`, {
          errors: [fieldError('body', ['sql'], safeErrorMessage(error, 200))],
        });
      } finally {
        await tx.rollback().catch(() => {});
      }
    }),
  );
}
