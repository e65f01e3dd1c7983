import type { Platform, PlatformSession } from '../platforms/platform.ts';
import { type Identifier, QUALIFYING_RATE } from './identifier.ts';
import {
  type ColumnHits,
  type ColumnVerdict,
  classifyColumn,
  countHits,
  isCompetitive,
  sampleSize,
} from './scoring.ts';

/** A column to discover, with its type family. */
export interface DiscoveryColumn {
  readonly name: string;
  readonly dataType: string;
}

/** A table to discover: where it is and which of its columns. */
export interface DiscoveryTarget {
  readonly database: string;
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly DiscoveryColumn[];
}

/** Where a column's verdict was computed. */
export type EvaluatedIn = 'platform' | 'platform+steward' | 'name';

/** A column's verdict and where it was computed. */
export interface DiscoveredColumn extends ColumnVerdict {
  readonly column: string;
  readonly evaluatedIn: EvaluatedIn;
}

/** What discovering one table cost and found. */
export interface TableDiscovery {
  /** Rows the platform sampled (0 when only column names were tested). */
  readonly rows: number;
  readonly columns: readonly DiscoveredColumn[];
  /** Columns whose values Steward had to evaluate in memory (validators), never stored. */
  readonly evaluatedInSteward: number;
}

/** Value identifiers applicable to a column's type family. */
const testsOn = (identifiers: readonly Identifier[], dataType: string): Identifier[] =>
  identifiers.filter((i) => isCompetitive(i) && i.dataTypes.includes(dataType));

/**
 * Discovers one table: the platform counts, over one bounded sample, how many values of each column
 * match each identifier (one set-based query; only counts come back). Identifiers the platform cannot
 * evaluate faithfully (checksums) are counted there by their regex, a necessary condition; only where
 * that reaches the qualifying rate does Steward read the same sample of that column and validate it in
 * memory, and the values are dropped as soon as they are counted. Then competitive scoring picks each
 * column's identifier, and column-name identifiers add theirs.
 */
export async function discoverTable<S extends PlatformSession>(
  platform: Platform<S>,
  session: S,
  target: DiscoveryTarget,
  identifiers: readonly Identifier[],
  signal?: AbortSignal,
): Promise<TableDiscovery> {
  const competing = identifiers.filter(isCompetitive);
  const size = sampleSize(competing.length);
  const tested = target.columns.filter((c) => testsOn(identifiers, c.dataType).length > 0);
  const byColumn = new Map<string, ColumnHits>();
  let rows = 0;
  if (tested.length > 0) {
    if (!platform.sampleHits) throw new Error(`Discovery does not run on ${platform.technology} yet.`);
    const result = await platform.sampleHits(
      session,
      { ...target, columns: tested, identifiers: competing, sampleSize: size },
      signal,
    );
    rows = result.rows;
    for (const [name, hits] of result.columns) byColumn.set(name, hits);
  }

  // Which columns need an identifier validated in memory: its regex reached the qualifying rate.
  const needs = new Map<string, Identifier[]>();
  for (const column of tested) {
    const hits = byColumn.get(column.name);
    if (!hits || hits.nonNull === 0) continue;
    const pending = testsOn(identifiers, column.dataType).filter((i) => {
      if (i.inPlatform) return false;
      const h = hits.hits.get(i.id);
      return h === undefined || h >= hits.nonNull * QUALIFYING_RATE - 1e-9;
    });
    if (pending.length > 0) needs.set(column.name, pending);
  }
  if (needs.size > 0) {
    if (!platform.sampleValues) throw new Error(`${platform.technology} cannot read a discovery sample.`);
    const values = await platform.sampleValues(
      session,
      {
        ...target,
        columns: tested.filter((c) => needs.has(c.name)),
        identifiers: competing,
        sampleSize: size,
      },
      signal,
    );
    for (const [name, pending] of needs) {
      const sample = values.get(name) ?? [];
      const validated = countHits(pending, sample, { earlyExit: true });
      const platformHits = byColumn.get(name)!;
      const merged = new Map(platformHits.hits);
      const dropped = new Set(platformHits.dropped ?? []);
      for (const i of pending) {
        // The same rows were read, so the platform's denominator applies; scale in case they differ.
        const h = validated.hits.get(i.id) ?? 0;
        const scaled =
          validated.nonNull === 0 ? 0 : Math.round((h / validated.nonNull) * platformHits.nonNull);
        merged.set(i.id, scaled);
        if (validated.dropped?.has(i.id)) dropped.add(i.id);
      }
      byColumn.set(name, { nonNull: platformHits.nonNull, hits: merged, dropped });
    }
  }
  // Validator identifiers never validated are left out: their regex count alone is not a hit rate.
  const inMemoryOnly = new Set(competing.filter((i) => !i.inPlatform).map((i) => i.id));
  const columns = target.columns.map((c): DiscoveredColumn => {
    const raw = byColumn.get(c.name);
    const validated = new Set((needs.get(c.name) ?? []).map((i) => i.id));
    const hits: ColumnHits = raw
      ? {
          nonNull: raw.nonNull,
          hits: new Map([...raw.hits].filter(([id]) => !inMemoryOnly.has(id) || validated.has(id))),
          ...(raw.dropped ? { dropped: raw.dropped } : {}),
        }
      : { nonNull: 0, hits: new Map() };
    const verdict = classifyColumn(identifiers, c.name, hits);
    const evaluatedIn: EvaluatedIn = !raw ? 'name' : needs.has(c.name) ? 'platform+steward' : 'platform';
    return { ...verdict, column: c.name, evaluatedIn };
  });
  return { rows, columns, evaluatedInSteward: needs.size };
}
