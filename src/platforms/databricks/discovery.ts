import type { Identifier } from '../../discovery/identifier.ts';
import { foldCase, TRIMMED_CHARACTERS } from '../../discovery/match.ts';
import type { ColumnHits } from '../../discovery/scoring.ts';
import { AppError } from '../../errors/index.ts';
import type { SampleRequest, TableSampleHits } from '../platform.ts';
import { javaRegex } from './java-regex.ts';
import { quoteIdent, quoteLiteral, quoteQualified } from './quote.ts';
import type { DatabricksSession } from './session.ts';
import { executeStatement, type StatementParameter } from './statements.ts';

/** One output column of the hit-count statement: the sample's rows, a column's non-nulls, or its hits. */
export type HitsColumn =
  | { readonly kind: 'rows' }
  | { readonly kind: 'nonNull'; readonly column: string }
  | { readonly kind: 'hits'; readonly column: string; readonly identifier: string };

/** The hit-count statement of one table: its text, its parameters and what each output column holds. */
export interface SampleHitsStatement {
  readonly sql: string;
  readonly parameters: readonly StatementParameter[];
  readonly aliases: readonly string[];
  readonly reads: readonly HitsColumn[];
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * The bounded sample both reads share. Databricks implements `TABLESAMPLE (n ROWS)` as a LIMIT: it
 * stops after the first n rows the scan yields, so the cost is bounded whatever the table's size (a
 * PERCENT sample needs the row count first, and its percentage and REPEATABLE seed must be literals;
 * REPEATABLE is ignored for ROWS). Both reads use this same clause on the same table version, but
 * Databricks does not promise which rows a LIMIT returns, so the caller scales what it validates.
 */
const sampleFrom = (request: SampleRequest): string =>
  `FROM ${quoteQualified(request.database, request.schema, request.table)} TABLESAMPLE (:sample_size ROWS)`;

function sampleSizeParameter(request: SampleRequest): StatementParameter {
  if (!Number.isSafeInteger(request.sampleSize) || request.sampleSize < 1 || request.sampleSize > 2 ** 31 - 1)
    throw new AppError('REQUEST_INVALID', 'The sample size must be a positive whole number of rows.');
  return { name: 'sample_size', value: String(request.sampleSize), type: 'INT' };
}

/** Java's name for characters outside the Basic Multilingual Plane, one code point each. */
const ASTRAL = '[\\x{10000}-\\x{10FFFF}]';
/** What JavaScript sees of one: two UTF-16 code units, which no portable pattern tells from two U+FFFD. */
const ASTRAL_AS_UNITS = '\uFFFD\uFFFD';

/**
 * The boolean SQL test of one identifier on a column's trimmed value `v` (its JavaScript view `j` for
 * regexes), or undefined when not evaluable.
 */
function testOf(
  identifier: Identifier,
  index: number,
  { v, j }: { readonly v: string; readonly j: string },
  parameters: Map<string, StatementParameter>,
): string | undefined {
  if (identifier.kind === 'valueRegex') {
    const regex = javaRegex(identifier.pattern, identifier.caseInsensitive);
    if (regex === undefined) return undefined;
    parameters.set(`p${index}`, { name: `p${index}`, value: regex });
    parameters.set('astral', { name: 'astral', value: ASTRAL });
    parameters.set('astral_units', { name: 'astral_units', value: ASTRAL_AS_UNITS });
    return `${j} RLIKE :p${index}`;
  }
  if (identifier.kind !== 'dictionary') return undefined;
  const values = identifier.values ?? [];
  const json = JSON.stringify(identifier.caseInsensitive ? values.map(foldCase) : values);
  parameters.set(`d${index}`, { name: `d${index}`, value: json });
  const list = `from_json(:d${index}, ${quoteLiteral('ARRAY<STRING>')})`;
  if (!identifier.caseInsensitive) return `array_contains(${list}, ${v})`;
  parameters.set('upper', { name: 'upper', value: UPPER });
  parameters.set('lower', { name: 'lower', value: UPPER.toLowerCase() });
  return `array_contains(${list}, translate(${v}, :upper, :lower))`;
}

/**
 * Builds the one statement that counts a table's sample hits. Each column is read as text and trimmed
 * of the ASCII white space `trimValue` trims; then one row comes back: the rows sampled, and per column
 * its non-null values and, for each identifier whose type families include the column's, how many
 * values match: `RLIKE` with the pattern translated to Java's regex semantics (see `javaRegex`; a
 * validator is left to the caller), or dictionary membership, case-folded on ASCII letters only as
 * `foldCase` does. Regexes test the value's JavaScript view, where each character outside the Basic
 * Multilingual Plane becomes two U+FFFD, so `.` and negated classes count it as JavaScript's two code
 * units do (as the PostgreSQL platform does). Patterns, dictionaries, the trimmed characters and the
 * sample size are parameters; names are quoted. An identifier whose pattern has no faithful Java form
 * is not tested (absent from the column's hits).
 */
export function sampleHitsStatement(request: SampleRequest): SampleHitsStatement {
  const parameters = new Map<string, StatementParameter>([['sample_size', sampleSizeParameter(request)]]);
  if (request.columns.length > 0) parameters.set('blank', { name: 'blank', value: TRIMMED_CHARACTERS });
  const projections: string[] = [];
  const aggregates: string[] = ['count(*)'];
  const aliases: string[] = ['sampled_rows'];
  const reads: HitsColumn[] = [{ kind: 'rows' }];
  request.columns.forEach((column, c) => {
    const names = { v: `v${c}`, j: `j${c}` };
    const text = `trim(BOTH :blank FROM CAST(${quoteIdent(column.name)} AS STRING))`;
    projections.push(`${text} AS ${names.v}`);
    aggregates.push(`count(${names.v})`);
    aliases.push(`n${c}`);
    reads.push({ kind: 'nonNull', column: column.name });
    let regexes = false;
    request.identifiers.forEach((identifier, i) => {
      if (!identifier.dataTypes.includes(column.dataType)) return;
      const test = testOf(identifier, i, names, parameters);
      if (test === undefined) return;
      regexes ||= identifier.kind === 'valueRegex';
      aggregates.push(`count_if(${test})`);
      aliases.push(`h${c}_${i}`);
      reads.push({ kind: 'hits', column: column.name, identifier: identifier.id });
    });
    if (regexes) projections.push(`regexp_replace(${text}, :astral, :astral_units) AS ${names.j}`);
  });
  const sample =
    projections.length === 0
      ? `SELECT 1 AS v ${sampleFrom(request)}`
      : `SELECT\n    ${projections.join(',\n    ')}\n  ${sampleFrom(request)}`;
  const select = aggregates.map((a, k) => `${a} AS ${aliases[k]}`).join(',\n  ');
  return {
    sql: `WITH sampled AS (\n  ${sample}\n)\nSELECT\n  ${select}\nFROM sampled`,
    parameters: [...parameters.values()],
    aliases,
    reads,
  };
}

function count(text: string | null | undefined): number {
  const n = Number(text);
  if (text === null || text === undefined || !Number.isSafeInteger(n) || n < 0)
    throw new AppError('PLATFORM_ERROR', 'Databricks returned a sample count that is not a whole number.');
  return n;
}

/** Counts one table's sample hits on Databricks in one statement (see `sampleHitsStatement`). */
export async function sampleDatabricksHits(
  session: DatabricksSession,
  request: SampleRequest,
  signal?: AbortSignal,
): Promise<TableSampleHits> {
  const statement = sampleHitsStatement(request);
  const result = await executeStatement(session, statement.sql, {
    parameters: statement.parameters,
    ...(signal ? { signal } : {}),
  });
  const row = result.rows[0];
  const names = result.columns.map((c) => c.name);
  if (
    result.rows.length !== 1 ||
    row?.length !== statement.reads.length ||
    (names.length > 0 && names.join() !== statement.aliases.join())
  )
    throw new AppError('PLATFORM_ERROR', 'Databricks returned sample counts in an unexpected shape.');
  let rows = 0;
  const nonNull = new Map<string, number>();
  const hits = new Map<string, Map<string, number>>();
  statement.reads.forEach((read, k) => {
    const n = count(row[k]);
    if (read.kind === 'rows') rows = n;
    else if (read.kind === 'nonNull') {
      nonNull.set(read.column, n);
      hits.set(read.column, new Map());
    } else hits.get(read.column)!.set(read.identifier, n);
  });
  const columns = new Map<string, ColumnHits>(
    [...nonNull].map(([name, n]) => [name, { nonNull: n, hits: hits.get(name)! }]),
  );
  return { rows, columns };
}

/**
 * Reads the same bounded sample's values of the requested columns as text (`CAST(... AS STRING)`, as
 * the hit counts read them, untrimmed: the caller trims), in one statement.
 */
export async function sampleDatabricksValues(
  session: DatabricksSession,
  request: SampleRequest,
  signal?: AbortSignal,
): Promise<ReadonlyMap<string, ReadonlyArray<string | null>>> {
  if (request.columns.length === 0) return new Map();
  const list = request.columns.map((c, k) => `CAST(${quoteIdent(c.name)} AS STRING) AS v${k}`).join(', ');
  const result = await executeStatement(session, `SELECT ${list} ${sampleFrom(request)}`, {
    parameters: [sampleSizeParameter(request)],
    ...(signal ? { signal } : {}),
  });
  return new Map(request.columns.map((c, k) => [c.name, result.rows.map((row) => row[k] ?? null)]));
}
