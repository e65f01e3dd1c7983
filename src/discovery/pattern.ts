import { type CharSet, caseClosure, sameSet } from './char-set.ts';
import { check, firstSet, lastSet, lengthOf, requiredChars } from './pattern-shape.ts';
import { type Node, Parser, Refusal, setText } from './pattern-syntax.ts';

export { MAX_BOUND } from './pattern-syntax.ts';

/** The outcome of parsing a pattern: its canonical form and length bounds, or why it is refused. */
export type ParsedPattern =
  | {
      readonly ok: true;
      readonly canonical: string;
      readonly minLength: number;
      readonly maxLength: number | null;
    }
  | { readonly ok: false; readonly message: string; readonly at?: number };

/** The longest pattern source accepted. */
export const MAX_PATTERN_LENGTH = 4000;

function quantifierText(min: number, max: number | null): string {
  if (min === 0 && max === null) return '*';
  if (min === 1 && max === null) return '+';
  if (min === 0 && max === 1) return '?';
  if (max === null) return `{${min},}`;
  return min === max ? `{${min}}` : `{${min},${max}}`;
}

/** Writes a node canonically; with `foldCase`, every position lists its JavaScript `i` case variants. */
function emit(node: Node, foldCase: boolean): string {
  switch (node.kind) {
    case 'chars': {
      if (!foldCase) return node.text;
      const closed = caseClosure(node.set);
      return sameSet(closed, node.set) ? node.text : setText(closed, node.negated);
    }
    case 'seq':
      return node.items.map((i) => emit(i, foldCase)).join('');
    case 'alt':
      return node.branches.map((b) => emit(b, foldCase)).join('|');
    case 'group':
      return `(?:${emit(node.body, foldCase)})`;
    case 'repeat':
      return emit(node.body, foldCase) + quantifierText(node.min, node.max);
  }
}

function parseWith(source: string, anchor: boolean, foldCase: boolean): ParsedPattern {
  if (source.length > MAX_PATTERN_LENGTH) {
    return { ok: false, message: `A pattern is limited to ${MAX_PATTERN_LENGTH} characters.` };
  }
  try {
    const parser = new Parser(source);
    const root = parser.parse();
    if (anchor && (parser.startAnchor || parser.endAnchor) && root.kind === 'alt') {
      throw new Refusal(
        'Anchors next to a top-level alternation apply to one alternative only: group it, as in ^(?:a|b)$.',
        0,
      );
    }
    check(root);
    const body = emit(root, foldCase);
    const { min, max } = lengthOf(root);
    if (anchor) {
      return {
        ok: true,
        canonical: root.kind === 'alt' ? `^(?:${body})$` : `^${body}$`,
        minLength: min,
        maxLength: max,
      };
    }
    const canonical = `${parser.startAnchor ? '^' : ''}${body}${parser.endAnchor ? '$' : ''}`;
    return {
      ok: true,
      canonical,
      minLength: min,
      maxLength: parser.startAnchor && parser.endAnchor && root.kind !== 'alt' ? max : null,
    };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, message: error.message, at: error.at };
    throw error;
  }
}

/**
 * Parses a user or built-in regex in the portable subset; returns its canonical anchored form and length bounds, or why it is refused.
 *
 * The subset is what JavaScript (non-unicode), PostgreSQL ARE, RE2 and Java read alike: literals,
 * escaped symbols, `.`, classes with ranges and negation, groups, alternation, greedy quantifiers with
 * bounds up to 255, `^` and `$` only at the ends. The canonical form has the same meaning in
 * JavaScript and PostgreSQL: `\d` `\w` become ASCII classes; `\s` becomes `[ \t\n\r\f\v]` (ASCII
 * whitespace, as values are trimmed: deliberately narrower than JavaScript's `\s`); `.` becomes
 * `[^\n\r\u2028\u2029]` (PostgreSQL's `.` also matches newlines); capturing groups become
 * non-capturing; class members that either engine reads specially are escaped. Lookaround,
 * backreferences, named groups, lazy and possessive quantifiers, inline flags, `\b`, property escapes
 * and mid-pattern anchors are refused.
 *
 * The structural checks stand in for RE2's linear-time guarantee (the `re2` addon is not used: it
 * compiles from source for minutes at install): a repeated group must not be able to match a text in
 * two ways (no nested variable quantifiers such as `(a+)+`, no alternatives starting alike such as
 * `(a|aa)*`, nothing that matches empty), and three large loops in a row cannot share characters.
 * These are the shapes that make a backtracking engine (JavaScript's) slow; PostgreSQL's engine is
 * not backtracking but refuses patterns that expand too far, which is checked as well.
 *
 * With `anchor` (the default) the pattern must match a whole value: missing anchors are added, and
 * `minLength`/`maxLength` bound the length (in UTF-16 code units) of any matching value (`maxLength`
 * null when unbounded). Without it, anchors are kept as written and `maxLength` is null unless both
 * are present.
 */
export function parsePattern(source: string, options?: { readonly anchor?: boolean }): ParsedPattern {
  return parseWith(source, options?.anchor ?? true, false);
}

/**
 * Parses a pattern as `parsePattern` does and returns the case-sensitive pattern matching exactly what
 * it matches under JavaScript's non-unicode `i` flag (`k` becomes `[Kk]`, `é` becomes `[Éé]`, while
 * `ſ` and the Kelvin sign stay apart from `s` and `k`), for an engine whose own case folding depends on
 * its locale.
 */
export function caseFoldedPattern(source: string, options?: { readonly anchor?: boolean }): ParsedPattern {
  return parseWith(source, options?.anchor ?? true, true);
}

/** Cheap necessary conditions on a value matching an anchored pattern, for a platform to test first. */
export interface PatternGuards {
  /** The characters a non-empty match can start with. */
  readonly first: CharSet;
  /** The characters a non-empty match can end with. */
  readonly last: CharSet;
  /** Characters every match contains (each of them), e.g. `@` for an email address. */
  readonly required: readonly string[];
}

/**
 * Returns cheap necessary conditions on any value matching the anchored pattern (with
 * `caseInsensitive`, under JavaScript's `i` flag): the characters a non-empty match starts and ends
 * with, and characters it must contain, so a platform can skip a regex a value cannot pass; undefined
 * when the pattern is refused.
 */
export function patternGuards(
  source: string,
  options: { readonly caseInsensitive?: boolean } = {},
): PatternGuards | undefined {
  try {
    const root = new Parser(source).parse();
    check(root);
    const ci = options.caseInsensitive ?? false;
    const fold = (set: CharSet) => (ci ? caseClosure(set) : set);
    const required = [...requiredChars(root, ci)].sort((a, b) => a - b).map((c) => String.fromCharCode(c));
    return { first: fold(firstSet(root)), last: fold(lastSet(root)), required };
  } catch (error) {
    if (error instanceof Refusal) return undefined;
    throw error;
  }
}
