import type { Command } from 'commander';
import { CliError, EXIT } from '../cli-error.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { type Cell, cellText, printJson, printTable } from '../output.ts';

/** The answer of `POST /query`. */
export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<readonly unknown[]>;
  readonly rowCount: number;
  readonly truncated: boolean;
}

/** Renders one value of a result: SQL NULL as `NULL`, JSON values as JSON. */
function valueCell(value: unknown): Cell {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object') return JSON.stringify(value);
  return value as Cell;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) text += chunk;
  return text;
}

/** Prints a result as a table with a `(N rows)` line; truncation is noted on stderr. */
export function printQueryResult(ctx: CliContext, result: QueryResult): void {
  const columns = result.columns.map((header, i) => ({
    header,
    cell: (row: readonly unknown[]) => valueCell(row[i]),
  }));
  const headerLine = result.columns.map((c) => cellText(c)).join('  ');
  printTable(ctx.stdout, columns, result.rows, headerLine);
  ctx.stdout.write(`(${result.rowCount} ${result.rowCount === 1 ? 'row' : 'rows'})\n`);
  if (result.truncated) {
    ctx.stderr.write(`(truncated: the server returned only the first ${result.rows.length} rows)\n`);
  }
}

/** `steward query`: runs SQL as a user, so their subscriptions, masks and row filters apply. */
export function queryCommand(program: Command, ctx: CliContext): void {
  program
    .command('query')
    .description('Run SQL as a user, with their policies applied, and print the rows')
    .argument('<sql>', 'the SQL, or - to read it from stdin')
    .requiredOption('--as <username>', 'the user to run it as')
    .option('--json', 'print {columns, rows, rowCount, truncated} as JSON')
    .action(async (text: string, flags: { as: string; json?: boolean }, command: Command) => {
      const client = clientFor(ctx, command);
      const sql = text === '-' ? await readAll(ctx.stdin) : text;
      if (sql.trim() === '') throw new CliError('the SQL is empty', EXIT.usage);
      const result = await client.post<QueryResult>('/query', { as: flags.as, sql });
      if (flags.json) return printJson(ctx.stdout, result);
      printQueryResult(ctx, result);
    });
}
