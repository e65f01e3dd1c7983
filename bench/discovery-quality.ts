import { BUILTIN_IDENTIFIERS } from '../src/discovery/builtin-identifiers.ts';
import { countHits, MAX_SAMPLE_ROWS } from '../src/discovery/scoring.ts';
import {
  type CorpusColumn,
  loadCorpus,
  precision,
  recall,
  scoreCorpus,
  valueIdentifiersFor,
} from '../test/fixtures/discovery/corpus.ts';
import type { Benchmark } from './benchmark.ts';
import { quantile } from './latency.ts';
import { waitForQuiet } from './quiet.ts';
import { figure, note } from './report.ts';

/** Timed passes over the whole mix, after one warm-up pass; the figure is their median. */
const RUNS = 5;
/** In the throughput mix, one sensitive column for every this many columns of the corpus's sensitive ones. */
const SENSITIVE_EVERY = 3;

/**
 * Discovery quality on the labelled corpus (column-level precision and recall, overall and per
 * identifier) and the in-memory evaluator's speed over the full built-in pack: values per second on
 * one core, exact and with early exit, and CPU per 13,000-value column sample.
 */
export function discoveryQualityBenchmarks(): Benchmark[] {
  return [
    { name: 'discovery-quality', run: measureQuality },
    { name: 'discovery-throughput', run: measureThroughput },
  ];
}

async function measureQuality(): Promise<void> {
  const corpus = loadCorpus();
  const { overall, byIdentifier, misses } = scoreCorpus(BUILTIN_IDENTIFIERS, corpus);
  note(
    `${corpus.columns.length} corpus columns, ${overall.expected} labelled with an identifier; ` +
      'correct = the winner has the expected identifier’s entity tags',
  );
  figure('discovery.quality.precision', precision(overall), 'ratio');
  figure('discovery.quality.recall', recall(overall), 'ratio');
  for (const identifier of BUILTIN_IDENTIFIERS.filter((i) => i.kind !== 'columnName')) {
    const tally = byIdentifier.get(identifier.id) ?? { predicted: 0, confirmed: 0, expected: 0, found: 0 };
    figure(`discovery.quality.${identifier.id}.precision`, precision(tally), 'ratio');
    figure(`discovery.quality.${identifier.id}.recall`, recall(tally), 'ratio');
  }
  for (const m of misses) note(`miss: ${m.column} expected ${m.expected}, got ${m.actual}`);
}

/** One column of the throughput mix: its identifiers and a sample of 13,000 values. */
interface Sample {
  readonly name: string;
  readonly identifiers: ReturnType<typeof valueIdentifiersFor>;
  readonly values: readonly (string | null)[];
  readonly nonNull: number;
}

/**
 * The mix a warehouse holds: every non-sensitive corpus column and a third of the sensitive ones,
 * each sample its column's values repeated to the largest sample discovery asks for.
 */
function throughputMix(columns: readonly CorpusColumn[]): Sample[] {
  const sensitive = columns.filter((c) => c.expected !== null).filter((_, i) => i % SENSITIVE_EVERY === 0);
  return [...columns.filter((c) => c.expected === null), ...sensitive].map((c) => {
    const values = Array.from({ length: MAX_SAMPLE_ROWS }, (_, i) => c.values[i % c.values.length] ?? null);
    return {
      name: `${c.table}.${c.column}`,
      identifiers: valueIdentifiersFor(BUILTIN_IDENTIFIERS, c.dataType),
      values,
      nonNull: values.filter((v) => v !== null).length,
    };
  });
}

/** Returns the CPU milliseconds (user and system) that `run` takes on this single-threaded process. */
function cpuMs(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

async function measureThroughput(): Promise<void> {
  const samples = throughputMix(loadCorpus().columns);
  const values = samples.reduce((sum, s) => sum + s.nonNull, 0);
  const sensitive = samples.filter((s) => s.identifiers.length > 0).length;
  note(
    `${samples.length} column samples of ${MAX_SAMPLE_ROWS} rows (${values} non-null values), ` +
      `${BUILTIN_IDENTIFIERS.length} built-in identifiers, ${sensitive} samples with value identifiers to test`,
  );
  await waitForQuiet('discovery-throughput');
  for (const [mode, earlyExit] of [
    ['exact', false],
    ['early_exit', true],
  ] as const) {
    const pass = () => {
      for (const s of samples) countHits(s.identifiers, s.values, { earlyExit });
    };
    pass();
    const rates = Array.from({ length: RUNS }, () => values / (cpuMs(pass) / 1000)).sort((a, b) => a - b);
    figure(
      `discovery.throughput.${mode}.values_per_second`,
      quantile(Float64Array.from(rates), 0.5),
      'values/s',
    );

    const perSample = samples.map((s) => {
      const runs = Array.from({ length: RUNS }, () =>
        cpuMs(() => countHits(s.identifiers, s.values, { earlyExit })),
      ).sort((a, b) => a - b);
      return { name: s.name, ms: quantile(Float64Array.from(runs), 0.5) };
    });
    const sorted = Float64Array.from(perSample.map((p) => p.ms)).sort();
    figure(`discovery.throughput.${mode}.sample_13k_cpu`, quantile(sorted, 0.5), 'ms');
    figure(`discovery.throughput.${mode}.sample_13k_cpu.max`, quantile(sorted, 1), 'ms');
    const slowest = perSample.reduce((a, b) => (b.ms > a.ms ? b : a));
    note(`${mode}: slowest sample ${slowest.name} (${slowest.ms.toFixed(1)} ms)`);
  }
}
