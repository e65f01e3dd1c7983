import { type Identifier, QUALIFYING_RATE } from './identifier.ts';
import { type CompiledTest, compiledTestOf, matchColumnName, PreparedValue } from './match.ts';
import { admits } from './prefilter.ts';

// Bound once: a module loaded as CommonJS (as tsx loads it) would otherwise reach each import through a
// getter on every call of the per-value loop below.
const admitted = admits;
const Prepared = PreparedValue;

/** The most rows a discovery sample ever asks for, whatever the number of competing identifiers. */
export const MAX_SAMPLE_ROWS = 13_000;

/**
 * The rows a column sample asks for when `competing` identifiers compete (regex and dictionary ones):
 * it grows with the logarithm of their number, as the reference's sampling does (5 -> 7,369; 50 ->
 * 9,211; 500 -> 11,053; 5,000 -> 12,895), and never exceeds 13,000.
 */
export function sampleSize(competing: number): number {
  const n = Math.max(1, Math.floor(competing));
  return Math.min(MAX_SAMPLE_ROWS, Math.round(7369 + 1842 * Math.log10(n / 5)));
}

/** The per-identifier hit counts of one column's sample. */
export interface ColumnHits {
  /** Sampled values that were not NULL (the denominator of every hit rate). */
  readonly nonNull: number;
  /** Values that matched, by identifier id; identifiers not tested are absent. */
  readonly hits: ReadonlyMap<string, number>;
  /**
   * Identifiers whose counting stopped once they could no longer reach the qualifying rate: their
   * count in `hits` is a lower bound, and they do not qualify.
   */
  readonly dropped?: ReadonlySet<string>;
}

/** Whether an identifier competes on values (regex and dictionary) rather than on column names. */
export const isCompetitive = (identifier: Identifier): boolean => identifier.kind !== 'columnName';

/**
 * Counts, in memory, how many non-null values of a sample each competitive identifier matches. With
 * `earlyExit`, an identifier stops being tested once its misses exceed what the qualifying rate
 * allows: the verdict is the same, and a column costs a few tests per value instead of one per
 * identifier. The values are read and discarded: nothing here keeps, logs or returns one.
 */
export function countHits(
  identifiers: readonly Identifier[],
  values: readonly (string | null | undefined)[],
  options: { readonly earlyExit?: boolean } = {},
): ColumnHits {
  const competing = identifiers.filter(isCompetitive);
  let nonNull = 0;
  for (const v of values) if (v !== null && v !== undefined) nonNull++;
  const hits = new Map<string, number>();
  const dropped = new Set<string>();
  const allowedMisses = Math.floor(nonNull * (1 - QUALIFYING_RATE) + 1e-9);
  let live = competing.slice();
  // Each value is trimmed and measured once, then tested by each identifier's compiled test, whose
  // prefilter (lengths, kinds of characters) skips most regex runs without changing the answer.
  let tests: readonly CompiledTest[] = live.map(compiledTestOf);
  const misses = new Array<number>(live.length).fill(0);
  const counts = new Array<number>(live.length).fill(0);
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const value = new Prepared(v);
    let removed = false;
    for (let i = 0; i < tests.length; i++) {
      const { filter, test } = tests[i]!;
      if ((filter === null || admitted(filter, value)) && test(value)) counts[i]!++;
      else if (++misses[i]! > allowedMisses && options.earlyExit) removed = true;
    }
    if (removed) {
      const keep: number[] = [];
      for (let i = 0; i < live.length; i++) {
        if (misses[i]! > allowedMisses) {
          hits.set(live[i]!.id, counts[i]!);
          dropped.add(live[i]!.id);
        } else keep.push(i);
      }
      live = keep.map((i) => live[i]!);
      tests = keep.map((i) => tests[i]!);
      const m = keep.map((i) => misses[i]!);
      const c = keep.map((i) => counts[i]!);
      misses.length = 0;
      counts.length = 0;
      misses.push(...m);
      counts.push(...c);
    }
  }
  for (let i = 0; i < live.length; i++) hits.set(live[i]!.id, counts[i]!);
  return options.earlyExit ? { nonNull, hits, dropped } : { nonNull, hits };
}

/** What discovery concluded about one column. */
export interface ColumnVerdict {
  /** The winning competitive identifier, or null when none qualified. */
  readonly identifier: string | null;
  /** Competitive identifiers that matched at least the qualifying rate, most specific first. */
  readonly qualified: readonly string[];
  /** Column-name identifiers that matched the column's name (not competitive: each adds its tags). */
  readonly nameMatches: readonly string[];
  /** The tags to apply: the winner's, then each name match's, without duplicates, sorted. */
  readonly tags: readonly string[];
  /** Hit rate (0..1, 4 decimals) of every tested identifier that matched at least one value. */
  readonly hitRates: Readonly<Record<string, number>>;
  /** Sampled non-null values. */
  readonly sampled: number;
}

const rate = (hits: number, total: number): number =>
  total === 0 ? 0 : Math.round((hits / total) * 1e4) / 1e4;

/**
 * Competitive pattern analysis for one column: competitive identifiers matching under the qualifying
 * rate of the sampled non-null values drop out; among the rest the most specific wins (then the higher
 * hit rate, then the id, so the verdict is deterministic), so a column gets one identifier's tags.
 * Column-name identifiers are not competitive: each that matches adds its tags.
 */
export function classifyColumn(
  identifiers: readonly Identifier[],
  columnName: string,
  columnHits: ColumnHits,
): ColumnVerdict {
  const { nonNull, hits, dropped } = columnHits;
  const qualified = identifiers
    .filter(isCompetitive)
    .filter((i) => {
      const h = hits.get(i.id);
      return h !== undefined && nonNull > 0 && !dropped?.has(i.id) && h >= nonNull * QUALIFYING_RATE - 1e-9;
    })
    .sort(
      (a, b) =>
        b.specificity - a.specificity ||
        (hits.get(b.id) ?? 0) - (hits.get(a.id) ?? 0) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  const winner = qualified[0];
  const nameMatches = identifiers.filter((i) => matchColumnName(i, columnName));
  const tags = new Set<string>(winner?.tags ?? []);
  for (const i of nameMatches) for (const t of i.tags) tags.add(t);
  const hitRates: Record<string, number> = {};
  for (const [id, h] of [...hits].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (h > 0 && !dropped?.has(id)) hitRates[id] = rate(h, nonNull);
  }
  return {
    identifier: winner?.id ?? null,
    qualified: qualified.map((i) => i.id),
    nameMatches: nameMatches.map((i) => i.id),
    tags: [...tags].sort(),
    hitRates,
    sampled: nonNull,
  };
}
