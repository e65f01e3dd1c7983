import type { FakeStatement, FakeWarehouse, SubmittedStatement } from './fake-warehouse.ts';
import { javaFind } from './java-regex-oracle.ts';

/** A table the simulated warehouse can sample: its quoted three-part name and each column's values as text. */
export interface SampledTable {
  readonly qualifiedName: string;
  readonly columns: Readonly<Record<string, ReadonlyArray<string | null>>>;
}

const NAME = '`(?:[^`]|``)*`';
const unquote = (quoted: string): string => quoted.slice(1, -1).replaceAll('``', '`');

function trimSet(value: string, characters: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && characters.includes(value[start]!)) start++;
  while (end > start && characters.includes(value[end - 1]!)) end--;
  return value.slice(start, end);
}

const translate = (value: string, from: string, to: string): string =>
  [...value].map((c) => (from.includes(c) ? (to[from.indexOf(c)] ?? '') : c)).join('');

const MEMBER =
  /^count_if\(array_contains\(from_json\(:(\w+), 'ARRAY<STRING>'\), (?:translate\((v\d+), :upper, :lower\)|(v\d+))\)\)$/;

const refuse = (message: string): FakeStatement => ({
  error: { error_code: 'BAD_REQUEST', message: `[UNSUPPORTED] ${message}`, sql_state: '0A000' },
  pendingPolls: 0,
});

function hitCounts(body: SubmittedStatement, table: SampledTable, params: Map<string, string | null>) {
  const rows = Number(params.get('sample_size'));
  const blank = params.get('blank') ?? '';
  const values = new Map<string, Array<string | null>>();
  for (const [, quoted, v] of body.statement.matchAll(
    new RegExp(`trim\\(BOTH :blank FROM CAST\\((${NAME}) AS STRING\\)\\) AS (v\\d+)`, 'g'),
  )) {
    const column = table.columns[unquote(quoted!)] ?? [];
    values.set(
      v!,
      column.slice(0, rows).map((x) => (x === null ? null : trimSet(x, blank))),
    );
  }
  if (params.has('astral') && params.get('astral') !== '[\\x{10000}-\\x{10FFFF}]')
    return refuse('the simulated warehouse only knows the astral-plane pattern');
  for (const [, quoted, j] of body.statement.matchAll(
    new RegExp(
      `regexp_replace\\(trim\\(BOTH :blank FROM CAST\\((${NAME}) AS STRING\\)\\), :astral, :astral_units\\) AS (j\\d+)`,
      'g',
    ),
  )) {
    const column = table.columns[unquote(quoted!)] ?? [];
    const units = params.get('astral_units') ?? '';
    values.set(
      j!,
      column
        .slice(0, rows)
        .map((x) => (x === null ? null : trimSet(x, blank).replace(/[\u{10000}-\u{10FFFF}]/gu, units))),
    );
  }
  const sampled = Math.min(rows, Object.values(table.columns)[0]?.length ?? 0);
  const outer = body.statement.slice(body.statement.lastIndexOf(')\nSELECT\n') + 9);
  const aggregates = [...outer.matchAll(/^ {2}(.+) AS (\w+),?$/gm)].map((m) => [m[1]!, m[2]!] as const);
  const pairs: Array<readonly [string, string]> = [];
  const counts: Array<number | (() => number)> = [];
  const nonNull = (v: string) => (values.get(v) ?? []).filter((x): x is string => x !== null);
  for (const [expression, alias] of aggregates) {
    const count = /^count\((v\d+)\)$/.exec(expression);
    const rlike = /^count_if\((j\d+) RLIKE :(\w+)\)$/.exec(expression);
    const member = MEMBER.exec(expression);
    if (expression === 'count(*)') counts.push(sampled);
    else if (count) counts.push(nonNull(count[1]!).length);
    else if (rlike) {
      const first = pairs.length;
      for (const x of nonNull(rlike[1]!)) pairs.push([params.get(rlike[2]!) ?? '', x]);
      const last = pairs.length;
      counts.push(() => results.slice(first, last).filter((r) => r === true).length);
    } else if (member) {
      const dictionary = new Set(JSON.parse(params.get(member[1]!) ?? '[]') as string[]);
      const [folded, plain] = [member[2], member[3]];
      const fold = (x: string) =>
        folded ? translate(x, params.get('upper') ?? '', params.get('lower') ?? '') : x;
      counts.push(nonNull((folded ?? plain)!).filter((x) => dictionary.has(fold(x))).length);
    } else return refuse(`the simulated warehouse cannot evaluate ${alias}`);
  }
  const results = javaFind(pairs);
  return {
    columns: aggregates.map(([, alias]) => ({ name: alias, type_name: 'BIGINT' })),
    rows: [counts.map((c) => String(typeof c === 'number' ? c : c()))],
  };
}

function sampleValues(body: SubmittedStatement, table: SampledTable, params: Map<string, string | null>) {
  const rows = Number(params.get('sample_size'));
  const reads = [...body.statement.matchAll(new RegExp(`CAST\\((${NAME}) AS STRING\\) AS (v\\d+)`, 'g'))];
  const columns = reads.map(([, quoted]) => (table.columns[unquote(quoted!)] ?? []).slice(0, rows));
  const length = Math.max(0, ...columns.map((c) => c.length));
  return {
    columns: reads.map(([, , alias]) => ({ name: alias!, type_name: 'STRING' })),
    rows: Array.from({ length }, (_, r) => columns.map((c) => c[r] ?? null)),
  };
}

/**
 * Makes the simulated warehouse answer Steward's discovery statements on `tables` as Databricks
 * would, from the statement text and the parameters it received: the sample is the first
 * `:sample_size` rows, `trim(BOTH :blank FROM ...)` trims the received characters, `regexp_replace`
 * turns astral characters into `:astral_units` (it knows only Steward's `:astral` pattern), `RLIKE` runs the
 * received pattern in java.util.regex, dictionaries are the received JSON arrays and `translate` maps
 * `:upper` to `:lower`. Statements it cannot evaluate end FAILED.
 */
export function answerSampleStatements(warehouse: FakeWarehouse, tables: readonly SampledTable[]): void {
  warehouse.handler = (body) => {
    const table = tables.find((t) =>
      body.statement.includes(`FROM ${t.qualifiedName} TABLESAMPLE (:sample_size ROWS)`),
    );
    if (!table) return undefined;
    const params = new Map((body.parameters ?? []).map((p) => [p.name, p.value ?? null]));
    if (body.statement.startsWith('WITH sampled AS (')) return hitCounts(body, table, params);
    if (body.statement.startsWith('SELECT CAST(')) return sampleValues(body, table, params);
    return refuse('the simulated warehouse does not know this statement');
  };
}
