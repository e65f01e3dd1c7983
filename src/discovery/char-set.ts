/**
 * A set of UTF-16 code units (0..0xFFFF) as sorted, disjoint, non-adjacent inclusive ranges: what one
 * position of a portable regex (a literal, a class, `.`) can match.
 */
export type CharSet = readonly (readonly [number, number])[];

/** The largest code unit a JavaScript (non-unicode) regex sees. */
export const MAX_CODE_UNIT = 0xffff;

/** Returns the normalised set holding exactly the code units of the given inclusive ranges. */
export function charSet(ranges: Iterable<readonly [number, number]>): CharSet {
  const sorted = [...ranges].filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out.at(-1);
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** Returns the set of one code unit. */
export const single = (code: number): CharSet => [[code, code]];

/** Returns the union of some sets. */
export function union(...sets: readonly CharSet[]): CharSet {
  return charSet(sets.flat());
}

/** Returns the code units 0..0xFFFF that `set` does not hold. */
export function complement(set: CharSet): CharSet {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_UNIT) out.push([next, MAX_CODE_UNIT]);
  return out;
}

/** Returns how many code units of the inclusive range lo..hi the set holds. */
export function countIn(set: CharSet, lo: number, hi: number): number {
  let n = 0;
  for (const [a, b] of set) n += Math.max(0, Math.min(b, hi) - Math.max(a, lo) + 1);
  return n;
}

/** Returns whether two sets share a code unit. */
export function intersects(a: CharSet, b: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [alo, ahi] = a[i]!;
    const [blo, bhi] = b[j]!;
    if (ahi < blo) i++;
    else if (bhi < alo) j++;
    else return true;
  }
  return false;
}

/** Returns whether two sets hold the same code units. */
export const sameSet = (a: CharSet, b: CharSet): boolean =>
  a.length === b.length && a.every(([lo, hi], i) => lo === b[i]![0] && hi === b[i]![1]);

let canonTable: Uint16Array | undefined;
let variantsTable: Map<number, number[]> | undefined;

/**
 * JavaScript's Canonicalize for a non-unicode `i` regex (ECMA-262 22.2.2.7.3): the upper case of a
 * code unit when it is a single code unit and does not map a non-ASCII unit to ASCII (so `ſ` and the
 * Kelvin sign stay apart from `s` and `k`).
 */
function canonicalTable(): Uint16Array {
  if (canonTable) return canonTable;
  const table = new Uint16Array(MAX_CODE_UNIT + 1);
  for (let c = 0; c <= MAX_CODE_UNIT; c++) {
    const upper = String.fromCharCode(c).toUpperCase();
    const cu = upper.length === 1 ? upper.charCodeAt(0) : c;
    table[c] = c >= 128 && cu < 128 ? c : cu;
  }
  canonTable = table;
  return table;
}

/** Code units sharing a canonical form with at least one other unit, by that canonical form. */
function variants(): Map<number, number[]> {
  if (variantsTable) return variantsTable;
  const table = canonicalTable();
  const all = new Map<number, number[]>();
  for (let c = 0; c <= MAX_CODE_UNIT; c++) {
    const list = all.get(table[c]!);
    if (list) list.push(c);
    else all.set(table[c]!, [c]);
  }
  variantsTable = new Map([...all].filter(([, list]) => list.length > 1));
  return variantsTable;
}

/**
 * Returns the code units a set matches under JavaScript's non-unicode `i` flag: every unit whose
 * canonical form is the canonical form of a member. Written out case-sensitively, a pattern then
 * means the same in an engine whose case folding differs (PostgreSQL's depends on the collation).
 */
export function caseClosure(set: CharSet): CharSet {
  const table = canonicalTable();
  const groups = variants();
  const extra: [number, number][] = [];
  const add = (group: readonly number[] | undefined) => {
    for (const c of group ?? []) extra.push([c, c]);
  };
  if (countIn(set, 0, MAX_CODE_UNIT) <= groups.size) {
    for (const [lo, hi] of set) for (let c = lo; c <= hi; c++) add(groups.get(table[c]!));
  } else {
    for (const group of groups.values()) if (group.some((c) => has(set, c))) add(group);
  }
  return extra.length === 0 ? set : union(set, charSet(extra));
}

/** Returns whether the set holds a code unit (binary search). */
export function has(set: CharSet, code: number): boolean {
  let lo = 0;
  let hi = set.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = set[mid]!;
    if (code < a) hi = mid - 1;
    else if (code > b) lo = mid + 1;
    else return true;
  }
  return false;
}
