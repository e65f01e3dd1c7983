import type { Identifier } from '../../discovery/identifier.ts';
import { foldCase, TRIMMED_CHARACTERS } from '../../discovery/match.ts';
import { caseFoldedPattern, parsePattern, patternGuards } from '../../discovery/pattern.ts';
import type { ColumnHits } from '../../discovery/scoring.ts';
import { AppError } from '../../errors/index.ts';
import type { SampleRequest, TableSampleHits } from '../platform.ts';
import { BUCKET_OF_CODE, bucketMask, EMPTY_BUCKET } from './discovery-guards.ts';
import { quoteIdent, quoteQualified } from './quote.ts';
import { type PostgresSession, postgresError } from './session.ts';

/** The seed of every discovery sample, so two reads of an unchanged table pick the same blocks. */
const SAMPLE_SEED = 6;
/** Block sampling returns a varying number of rows: ask for this many times the sample, then cut it. */
const OVERSAMPLE = 2;
/** Relation kinds TABLESAMPLE applies to: tables, partitioned tables, materialized views. */
const SAMPLEABLE = new Set(['r', 'p', 'm']);
/** Characters outside the Basic Multilingual Plane: one in PostgreSQL, two UTF-16 code units in JavaScript. */
const ASTRAL = '[\\U00010000-\\U0010FFFF]';
/** What an astral character becomes in the JavaScript view (see `parsePattern`'s surrogate rule). */
const ASTRAL_AS_UNITS = '\uFFFD\uFFFD';
const INT_MAX = 2_147_483_647;

/**
 * How a table's rows are sampled, decided once and applied alike by both reads: `first` rows of a
 * view or foreign table; `blocks` read through `TABLESAMPLE SYSTEM` at `percent`, and, when that is
 * below 100, the sampled rows ordered by a hash of their position before the LIMIT cuts them, so the
 * rows kept spread over all sampled blocks rather than the first ones.
 */
type SampleClause = { readonly kind: 'first' } | { readonly kind: 'blocks'; readonly percent: number };

// The rows a table holds now, as the planner estimates them: reltuples scaled by the pages the
// relation has grown (or shrunk) to since it was analysed, summed over the leaves of a partitioned
// table; -1 when some part was never analysed.
const STATS_QUERY = `
  SELECT c.relkind::text,
         (SELECT CASE WHEN bool_or(l.reltuples < 0) THEN -1
                      ELSE coalesce(sum(CASE WHEN l.relpages > 0
                                             THEN l.reltuples / l.relpages
                                                  * (pg_relation_size(l.oid) / current_setting('block_size')::float8)
                                             ELSE l.reltuples END), 0) END
            FROM pg_class l
           WHERE (c.relkind <> 'p' AND l.oid = c.oid)
              OR (c.relkind = 'p' AND l.oid IN (SELECT t.relid FROM pg_partition_tree(c.oid) t WHERE t.isleaf))
         )::float8
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = $1 AND c.relname = $2`;

/**
 * Decides how to sample a table from its catalog statistics, in one cheap catalog read. Tables with
 * more than twice the sample's rows are block-sampled (`TABLESAMPLE SYSTEM` at a percentage sized from
 * `reltuples`, scaled to the relation's current size, to about twice the sample, with a fixed seed) so
 * the sample spreads over the whole table; smaller and never-analysed tables read their first rows,
 * still through `TABLESAMPLE SYSTEM (100)`, whose block order is fixed (no synchronized or parallel
 * scan), so both reads see the same rows. Views and foreign tables cannot be sampled: they read their
 * first rows in whatever order they produce them.
 */
async function sampleClause(session: PostgresSession, request: SampleRequest): Promise<SampleClause> {
  const { rows } = await session.client.query<[string, number]>({
    text: STATS_QUERY,
    values: [request.schema, request.table],
    rowMode: 'array',
  });
  const [relkind, reltuples] = rows[0] ?? ['v', -1];
  if (!SAMPLEABLE.has(relkind)) return { kind: 'first' };
  if (reltuples < 0 || reltuples <= 2 * request.sampleSize) return { kind: 'blocks', percent: 100 };
  return { kind: 'blocks', percent: Math.min(100, (100 * OVERSAMPLE * request.sampleSize) / reltuples) };
}

/** A statement under construction: SQL text and its bound parameters, `$n` allocated in order. */
class Statement {
  readonly values: unknown[] = [];
  /** Binds a value and returns its placeholder with an explicit type. */
  param(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

/** The FROM item and LIMIT of the sample: the same for `sampleHits` and `sampleValues`. */
function fromSample(st: Statement, request: SampleRequest, clause: SampleClause): string {
  const table = quoteQualified(request.schema, request.table);
  const limit = `LIMIT ${st.param(Math.max(0, Math.floor(request.sampleSize)), 'int8')}`;
  if (clause.kind === 'first') return `FROM ${table} ${limit}`;
  const sample = `TABLESAMPLE SYSTEM (${st.param(clause.percent, 'float4')}) REPEATABLE (${st.param(SAMPLE_SEED, 'float8')})`;
  // ctid and tableoid identify a row (tableoid among partitions): a total, repeatable order.
  const spread = clause.percent < 100 ? 'ORDER BY md5(ctid::text || tableoid::text), ctid, tableoid ' : '';
  return `FROM ${table} ${sample} ${spread}${limit}`;
}

/** A regex identifier as the platform runs it: canonical pattern (case spelt out) and its cheap guards. */
interface PlatformRegex {
  readonly id: string;
  readonly pattern: string;
  readonly minLength: number;
  readonly maxLength: number;
  /** Bucket masks of the characters a match can start and end with (see `discovery-guards.ts`). */
  readonly firstMask: readonly [string, string];
  readonly lastMask: readonly [string, string];
  /** Up to two characters every match contains ('' when there are fewer), tested with `strpos`. */
  readonly required: readonly [string, string];
  readonly columns: readonly number[];
}

const compiled = new WeakMap<Identifier, Omit<PlatformRegex, 'columns'>>();

/** Returns how the platform runs a regex identifier (cached: identifiers are immutable). */
function platformRegex(identifier: Identifier, columns: readonly number[]): PlatformRegex {
  let regex = compiled.get(identifier);
  if (!regex) {
    regex = compileRegex(identifier);
    compiled.set(identifier, regex);
  }
  return { ...regex, columns };
}

function compileRegex(identifier: Identifier): Omit<PlatformRegex, 'columns'> {
  const parsed = identifier.caseInsensitive
    ? caseFoldedPattern(identifier.pattern)
    : parsePattern(identifier.pattern);
  const guards = patternGuards(identifier.pattern, { caseInsensitive: identifier.caseInsensitive });
  if (!parsed.ok || !guards) {
    const reason = parsed.ok ? 'it is refused' : parsed.message;
    throw new AppError(
      'SDD_PATTERN_INVALID',
      `The pattern of identifier ${identifier.id} cannot run in PostgreSQL: ${reason}`,
    );
  }
  const empty = parsed.minLength === 0;
  // Separators are rarer in values than letters and digits: test those first.
  const required = [...guards.required].sort(
    (a, b) => Number(/[A-Za-z0-9]/.test(a)) - Number(/[A-Za-z0-9]/.test(b)),
  );
  return {
    id: identifier.id,
    pattern: parsed.canonical,
    minLength: parsed.minLength,
    maxLength: parsed.maxLength ?? INT_MAX,
    firstMask: bucketMask(guards.first, empty),
    lastMask: bucketMask(guards.last, empty),
    required: [required[0] ?? '', required[1] ?? ''],
  };
}

/** An identifier and the 1-based indexes of the requested columns it is tested on. */
interface Tested {
  readonly identifier: Identifier;
  readonly columns: readonly number[];
}

/** Returns the value identifiers tested on at least one requested column, with those columns. */
function applicability(request: SampleRequest): Tested[] {
  return request.identifiers
    .filter((i) => i.kind === 'valueRegex' || i.kind === 'dictionary')
    .map((identifier) => ({
      identifier,
      columns: request.columns.flatMap((c, n) => (identifier.dataTypes.includes(c.dataType) ? [n + 1] : [])),
    }))
    .filter((a) => a.columns.length > 0);
}

const intList = (list: readonly number[]): string => `{${list.join(',')}}`;

/**
 * The SQL counting dictionary hits per column, one scan of `j` per dictionary: its values are a bound
 * array the planner sees as a constant, so `= ANY` probes a hash table; case-insensitive ones compare
 * the ASCII-folded value with values folded by `foldCase`.
 */
function dictionarySql(st: Statement, dictionaries: readonly Tested[]): string {
  if (dictionaries.length === 0) return 'SELECT 0 AS ord, 0 AS i, 0::int8 AS hits WHERE false';
  return dictionaries
    .map(({ identifier, columns }, n) => {
      const values = identifier.values ?? [];
      const folded = [...new Set(identifier.caseInsensitive ? values.map(foldCase) : values)];
      const value = identifier.caseInsensitive ? 'j.lv' : 'j.v';
      return `SELECT ${n + 1} AS ord, j.i, sum(j.n)::int8 AS hits FROM j
               WHERE j.i = ANY(${st.param(columns, 'int[]')}) AND ${value} COLLATE "C" = ANY(${st.param(folded, 'text[]')})
               GROUP BY j.i`;
    })
    .join(' UNION ALL ');
}

/**
 * Builds the one statement counting a table's sample. Its stages, each computed once: `s` the sampled
 * rows, each requested column cast to text (collation "C": bytes, whatever the column's collation);
 * `v` the non-null values unpivoted, trimmed with `btrim` of the ASCII whitespace and grouped per
 * column with their number of occurrences; `j` each distinct value's JavaScript view (astral
 * characters as two units), length, first and last character buckets and ASCII lower case; `g` the
 * values grouped by column, length and buckets into arrays. Then, pattern-major (so PostgreSQL's
 * 32-entry regex cache always hits), each regex runs only over the groups its column list, length
 * bounds and first/last characters admit, and on the values holding the characters it requires;
 * dictionaries are counted by hashed lookups; and the non-null count per column. Only counts come back.
 */
function hitsStatement(
  request: SampleRequest,
  clause: SampleClause,
  regexes: readonly PlatformRegex[],
  dictionaries: readonly Tested[],
): { readonly text: string; readonly values: readonly unknown[] } {
  const st = new Statement();
  const cols = request.columns.map((c, n) => `${quoteIdent(c.name)}::text COLLATE "C" AS c${n + 1}`);
  const sample = `SELECT ${cols.join(', ')} ${fromSample(st, request, clause)}`;
  const unpivot = request.columns
    .map((_, n) => `SELECT ${n + 1} AS i, s.c${n + 1} AS v FROM s`)
    .join(' UNION ALL ');
  const buckets = st.param(BUCKET_OF_CODE, 'int[]');
  // OFFSET 0 keeps a subquery from being flattened, which would evaluate its expressions once per use.
  const text = `
    WITH s AS MATERIALIZED (${sample}),
    v AS MATERIALIZED (
      SELECT u.i, btrim(u.v, ${st.param(TRIMMED_CHARACTERS, 'text')}) AS v, count(*)::int8 AS n
        FROM (${unpivot}) AS u
       WHERE u.v IS NOT NULL
       GROUP BY 1, 2),
    j AS MATERIALIZED (
      SELECT y.i, y.v, y.n, y.w, y.len, lower(y.v COLLATE "C") AS lv,
             CASE WHEN y.len = 0 THEN ${EMPTY_BUCKET} ELSE (${buckets})[least(ascii(y.w), 256) + 1] END AS fb,
             CASE WHEN y.len = 0 THEN ${EMPTY_BUCKET}
                  ELSE (${buckets})[least(ascii(right(y.w, 1)), 256) + 1] END AS lb
        FROM (SELECT x.i, x.v, x.n, x.w, length(x.w) AS len
                FROM (SELECT v.i, v.v, v.n,
                             CASE WHEN octet_length(v.v) = length(v.v) THEN v.v
                                  ELSE regexp_replace(v.v COLLATE "C", ${st.param(ASTRAL, 'text')},
                                                      ${st.param(ASTRAL_AS_UNITS, 'text')}, 'g') END AS w
                        FROM v OFFSET 0) x OFFSET 0) y),
    g AS MATERIALIZED (
      SELECT j.i, j.len,
             CASE WHEN j.fb < 64 THEN 1::int8 << j.fb ELSE 0 END AS f0,
             CASE WHEN j.fb >= 64 THEN 1::int8 << (j.fb - 64) ELSE 0 END AS f1,
             CASE WHEN j.lb < 64 THEN 1::int8 << j.lb ELSE 0 END AS l0,
             CASE WHEN j.lb >= 64 THEN 1::int8 << (j.lb - 64) ELSE 0 END AS l1,
             array_agg(j.w) AS ws, array_agg(j.n) AS ns
        FROM j GROUP BY j.i, j.len, j.fb, j.lb),
    p AS MATERIALIZED (
      SELECT p.ord::int AS ord, p.re, p.lo, p.hi, p.f0, p.f1, p.l0, p.l1, p.r1, p.r2, p.cols::int[] AS cols
        FROM unnest(${st.param(
          regexes.map((r) => r.pattern),
          'text[]',
        )}, ${st.param(
          regexes.map((r) => r.minLength),
          'int[]',
        )}, ${st.param(
          regexes.map((r) => r.maxLength),
          'int[]',
        )}, ${st.param(
          regexes.map((r) => r.firstMask[0]),
          'int8[]',
        )}, ${st.param(
          regexes.map((r) => r.firstMask[1]),
          'int8[]',
        )}, ${st.param(
          regexes.map((r) => r.lastMask[0]),
          'int8[]',
        )}, ${st.param(
          regexes.map((r) => r.lastMask[1]),
          'int8[]',
        )}, ${st.param(
          regexes.map((r) => r.required[0]),
          'text[]',
        )}, ${st.param(
          regexes.map((r) => r.required[1]),
          'text[]',
        )}, ${st.param(
          regexes.map((r) => intList(r.columns)),
          'text[]',
        )}) WITH ORDINALITY AS p(re, lo, hi, f0, f1, l0, l1, r1, r2, cols, ord)),
    r AS (
      SELECT p.ord, h.i, h.hits
        FROM p CROSS JOIN LATERAL (
          SELECT g.i, sum(x.n)::int8 AS hits
            FROM g CROSS JOIN LATERAL unnest(g.ws, g.ns) AS x(w, n)
           WHERE g.i = ANY(p.cols) AND g.len BETWEEN p.lo AND p.hi
             AND ((g.f0 & p.f0) | (g.f1 & p.f1)) <> 0 AND ((g.l0 & p.l0) | (g.l1 & p.l1)) <> 0
             AND CASE WHEN strpos(x.w COLLATE "C", p.r1) > 0 AND strpos(x.w COLLATE "C", p.r2) > 0
                      THEN x.w COLLATE "C" ~ p.re ELSE false END
           GROUP BY g.i) h),
    d AS (${dictionarySql(st, dictionaries)})
    SELECT 0 AS kind, i, 0 AS ord, sum(n)::int8 AS n FROM v GROUP BY i
    UNION ALL SELECT 1, i, ord, hits FROM r
    UNION ALL SELECT 2, i, ord, hits FROM d
    UNION ALL SELECT 3, 0, 0, (SELECT count(*) FROM s)`;
  return { text, values: st.values };
}

/**
 * Counts, in one set-based statement over a bounded sample of one table, how many non-null values of
 * each column every applicable value identifier matches; only counts leave the database. Values are
 * cast to text and trimmed of ASCII whitespace as `trimValue` does; regexes run in their canonical
 * form (case-insensitive ones with their case variants spelt out, so PostgreSQL's locale cannot change
 * the answer), without their validator; dictionaries compare exactly, or ASCII-folded with
 * `lower(... COLLATE "C")` as `foldCase` does. An identifier not tested on a column (its `dataTypes`
 * leave the column's type out) is absent from that column's hits.
 */
export async function samplePostgresHits(
  session: PostgresSession,
  request: SampleRequest,
  signal?: AbortSignal,
): Promise<TableSampleHits> {
  signal?.throwIfAborted();
  const tested = applicability(request);
  const regexes = tested
    .filter((t) => t.identifier.kind === 'valueRegex')
    .map((t) => platformRegex(t.identifier, t.columns));
  const dictionaries = tested.filter((t) => t.identifier.kind === 'dictionary');
  try {
    const clause = await sampleClause(session, request);
    signal?.throwIfAborted();
    if (request.columns.length === 0) {
      const st = new Statement();
      const text = `SELECT count(*) FROM (SELECT 1 ${fromSample(st, request, clause)}) s`;
      const { rows } = await session.client.query<[string]>({ text, values: st.values, rowMode: 'array' });
      return { rows: Number(rows[0]?.[0] ?? 0), columns: new Map() };
    }
    const statement = hitsStatement(request, clause, regexes, dictionaries);
    const { rows } = await session.client.query<[number, number, number, string]>({
      text: statement.text,
      values: [...statement.values],
      rowMode: 'array',
    });
    return collect(request, tested, regexes, rows);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw postgresError(error, session.settings);
  }
}

/** Turns the statement's rows into hits per column, with zeros for identifiers tested but never matched. */
function collect(
  request: SampleRequest,
  tested: readonly Tested[],
  regexes: readonly PlatformRegex[],
  rows: ReadonlyArray<readonly [number, number, number, string]>,
): TableSampleHits {
  const dictionaries = tested.filter((t) => t.identifier.kind === 'dictionary');
  const nonNull = new Map<number, number>();
  const counts = new Map<string, number>();
  let sampled = 0;
  for (const [kind, i, ord, n] of rows) {
    if (kind === 0) nonNull.set(i, Number(n));
    else if (kind === 1) counts.set(`${i}:${regexes[ord - 1]!.id}`, Number(n));
    else if (kind === 2) counts.set(`${i}:${dictionaries[ord - 1]!.identifier.id}`, Number(n));
    else sampled = Number(n);
  }
  const columns = new Map<string, ColumnHits>();
  request.columns.forEach((column, n) => {
    const hits = new Map<string, number>();
    for (const t of tested) {
      if (t.columns.includes(n + 1))
        hits.set(t.identifier.id, counts.get(`${n + 1}:${t.identifier.id}`) ?? 0);
    }
    columns.set(column.name, { nonNull: nonNull.get(n + 1) ?? 0, hits });
  });
  return { rows: sampled, columns };
}

/**
 * Reads the values of some columns over the same sample `samplePostgresHits` counts (the same
 * TABLESAMPLE clause, seed and LIMIT), as text, NULLs kept, untrimmed. The two reads agree while the
 * table is unchanged: rows written or removed in between (or a new ANALYZE changing the sample
 * percentage) can make them differ, and a view's row order is whatever it produces.
 */
export async function samplePostgresValues(
  session: PostgresSession,
  request: SampleRequest,
  signal?: AbortSignal,
): Promise<ReadonlyMap<string, ReadonlyArray<string | null>>> {
  signal?.throwIfAborted();
  const result = new Map<string, Array<string | null>>(request.columns.map((c) => [c.name, []]));
  if (request.columns.length === 0) return result;
  try {
    const clause = await sampleClause(session, request);
    signal?.throwIfAborted();
    const st = new Statement();
    const cols = request.columns.map((c) => `${quoteIdent(c.name)}::text`).join(', ');
    const text = `SELECT ${cols} ${fromSample(st, request, clause)}`;
    const { rows } = await session.client.query<Array<string | null>>({
      text,
      values: st.values,
      rowMode: 'array',
    });
    const lists = request.columns.map((c) => result.get(c.name)!);
    for (const row of rows) {
      for (let n = 0; n < lists.length; n++) lists[n]!.push(row[n] ?? null);
    }
    return result;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw postgresError(error, session.settings);
  }
}
