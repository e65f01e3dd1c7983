// What a parsed pattern matches (lengths, first, last and required characters) and the structural
// checks that keep matching it fast.
import { type CharSet, caseClosure, complement, intersects, sameSet, union } from './char-set.ts';
import { type Node, Refusal } from './pattern-syntax.ts';

/** The most positions a pattern may expand to once bounded repeats are written out (PostgreSQL's NFA limit). */
const MAX_EXPANDED = 10_000;
/** Loops spanning fewer extra repetitions than this cannot make backtracking blow up. */
const SMALL_SPAN = 16;

/** The shortest and longest (null: unbounded) match of a node, in UTF-16 code units. */
export interface Bounds {
  readonly min: number;
  readonly max: number | null;
}

const add = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a + b);

/** Returns the length bounds of the matches of a node. */
export function lengthOf(node: Node): Bounds {
  switch (node.kind) {
    case 'chars':
      return { min: 1, max: 1 };
    case 'group':
      return lengthOf(node.body);
    case 'seq':
      return node.items.map(lengthOf).reduce((a, b) => ({ min: a.min + b.min, max: add(a.max, b.max) }), {
        min: 0,
        max: 0,
      });
    case 'alt': {
      const all = node.branches.map(lengthOf);
      return {
        min: Math.min(...all.map((b) => b.min)),
        max: all.some((b) => b.max === null) ? null : Math.max(...all.map((b) => b.max ?? 0)),
      };
    }
    case 'repeat': {
      const body = lengthOf(node.body);
      const max = node.max === null || body.max === null ? (body.max === 0 ? 0 : null) : node.max * body.max;
      return { min: node.min * body.min, max };
    }
  }
}

/** The positions PostgreSQL's NFA holds once bounded repeats are written out. */
function expandedSize(node: Node): number {
  switch (node.kind) {
    case 'chars':
      return 1;
    case 'group':
      return expandedSize(node.body);
    case 'seq':
      return node.items.reduce((n, i) => n + expandedSize(i), 0);
    case 'alt':
      return node.branches.reduce((n, b) => n + expandedSize(b), 0);
    case 'repeat':
      return expandedSize(node.body) * Math.max(1, node.max ?? node.min + 1);
  }
}

function children(node: Node): readonly Node[] {
  switch (node.kind) {
    case 'chars':
      return [];
    case 'group':
    case 'repeat':
      return [node.body];
    case 'seq':
      return node.items;
    case 'alt':
      return node.branches;
  }
}

/** Yields a node and all its descendants, parents first. */
export function* walk(node: Node): Generator<Node> {
  yield node;
  for (const child of children(node)) yield* walk(child);
}

/** Returns the characters a non-empty match of the node can start with. */
export function firstSet(node: Node): CharSet {
  switch (node.kind) {
    case 'chars':
      return node.negated ? complement(node.set) : node.set;
    case 'group':
      return firstSet(node.body);
    case 'repeat':
      return node.max === 0 ? [] : firstSet(node.body);
    case 'alt':
      return union(...node.branches.map(firstSet));
    case 'seq': {
      const sets: CharSet[] = [];
      for (const item of node.items) {
        sets.push(firstSet(item));
        if (lengthOf(item).min > 0) break;
      }
      return union(...sets);
    }
  }
}

/** Returns the characters a non-empty match of the node can end with. */
export function lastSet(node: Node): CharSet {
  switch (node.kind) {
    case 'chars':
      return node.negated ? complement(node.set) : node.set;
    case 'group':
      return lastSet(node.body);
    case 'repeat':
      return node.max === 0 ? [] : lastSet(node.body);
    case 'alt':
      return union(...node.branches.map(lastSet));
    case 'seq': {
      const sets: CharSet[] = [];
      for (const item of [...node.items].reverse()) {
        sets.push(lastSet(item));
        if (lengthOf(item).min > 0) break;
      }
      return union(...sets);
    }
  }
}

const isVariable = (n: Node): boolean => n.kind === 'repeat' && n.max !== n.min;

/**
 * Refuses a repeated group whose body could match the same text in more than one way (star height
 * above one, an optional part, alternatives that start alike), the shapes that make a backtracking
 * engine take exponential time.
 */
function checkRepeatedBody(repeat: Node & { kind: 'repeat' }): void {
  const body = repeat.body;
  if (lengthOf(body).min === 0) {
    throw new Refusal('A repeated group must not match the empty string.', repeat.at);
  }
  for (const inner of walk(body)) {
    if (isVariable(inner)) {
      throw new Refusal(
        'Nested quantifiers such as (a+)+ or (ab?)* can take exponential time: repeat a group only when its own quantifiers are fixed ({n}).',
        repeat.at,
      );
    }
    if (inner.kind !== 'alt') continue;
    const firsts = inner.branches.map((b) => caseClosure(firstSet(b)));
    for (let i = 0; i < firsts.length; i++) {
      for (let j = i + 1; j < firsts.length; j++) {
        if (intersects(firsts[i]!, firsts[j]!)) {
          throw new Refusal(
            'A repeated group whose alternatives can start with the same character, such as (a|ab)*, can take exponential time.',
            repeat.at,
          );
        }
      }
    }
  }
}

/** A loop: a single position repeated a variable, possibly large, number of times. */
function loopSet(node: Node): CharSet | undefined {
  if (node.kind !== 'repeat' || node.max === node.min) return undefined;
  if (node.max !== null && node.max - node.min < SMALL_SPAN) return undefined;
  let body = node.body;
  while (body.kind === 'group') body = body.body;
  return body.kind === 'chars' ? caseClosure(firstSet(body)) : undefined;
}

/**
 * Refuses three or more large loops in a row that can share characters, with nothing between them
 * that must consume a character none of them takes (`\w+\s*\w+\s*\w+`): a backtracking engine may try
 * every way to split a value between them, a cubic or worse cost.
 */
function checkLoopChains(node: Node): void {
  for (const n of walk(node)) {
    if (n.kind !== 'seq') continue;
    let chains: Array<{ set: CharSet; length: number }> = [];
    for (const item of n.items) {
      const loop = loopSet(item);
      const fixed = lengthOf(item);
      const next: Array<{ set: CharSet; length: number }> = [];
      for (const chain of chains) {
        if (loop && intersects(chain.set, loop)) next.push({ set: loop, length: chain.length + 1 });
        else if (fixed.min === 0) next.push(chain);
        else if (fixed.min === 1 && fixed.max === 1 && intersects(chain.set, caseClosure(firstSet(item)))) {
          next.push(chain);
        }
      }
      if (loop) next.push({ set: loop, length: 1 });
      const worst = next.find((c) => c.length >= 3);
      if (worst) {
        throw new Refusal(
          'Three or more unbounded repeats in a row that can match the same characters can take polynomial time: separate them with a character none of them matches.',
          item.at,
        );
      }
      chains = next;
    }
  }
}

/**
 * Refuses the shapes that make matching slow: ambiguous repeated groups, long chains of overlapping
 * loops, and patterns PostgreSQL would find too complex once bounded repeats are expanded.
 */
export function check(root: Node): void {
  for (const n of walk(root))
    if (n.kind === 'repeat' && (n.max === null || n.max > 1) && n.body.kind !== 'chars') {
      checkRepeatedBody(n);
    }
  checkLoopChains(root);
  if (expandedSize(root) > MAX_EXPANDED) {
    throw new Refusal(
      'The pattern is too large once its bounded repeats are expanded (PostgreSQL would refuse it as too complex).',
      0,
    );
  }
}

/** Returns the single characters every match of the node contains (case variants make a letter not single). */
export function requiredChars(node: Node, caseInsensitive: boolean): ReadonlySet<number> {
  switch (node.kind) {
    case 'chars': {
      const set = node.negated ? complement(node.set) : node.set;
      const one = set.length === 1 && set[0]![0] === set[0]![1];
      const folded = caseInsensitive ? caseClosure(set) : set;
      return one && sameSet(folded, set) ? new Set([set[0]![0]]) : new Set();
    }
    case 'group':
      return requiredChars(node.body, caseInsensitive);
    case 'repeat':
      return node.min > 0 ? requiredChars(node.body, caseInsensitive) : new Set();
    case 'seq':
      return new Set(node.items.flatMap((i) => [...requiredChars(i, caseInsensitive)]));
    case 'alt': {
      const [head, ...rest] = node.branches.map((b) => requiredChars(b, caseInsensitive));
      return new Set([...(head ?? [])].filter((c) => rest.every((r) => r.has(c))));
    }
  }
}
