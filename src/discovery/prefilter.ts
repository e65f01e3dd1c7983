// A cheap necessary condition for a value to match an identifier: the lengths an anchored pattern (or a
// dictionary) can match, the kinds of characters a match can contain and those it must contain.
// Testing it first skips most regex runs and set lookups without changing any result: a value it
// rejects could never have matched.

/** The kinds of characters a prefilter tells apart; each is one bit of a 32-bit class set. */
const KINDS = [
  'digit',
  'A-F',
  'G-Z',
  'a-f',
  'g-z',
  'space',
  'control',
  '.',
  '-',
  '+',
  '@',
  ':',
  '/',
  '_',
  ',',
  '(',
  ')',
  '#',
  '%',
  "'",
  '=',
  '?',
  '&',
  'other ASCII',
  'Latin letter',
  'other non-ASCII',
] as const;

const bit = (kind: (typeof KINDS)[number]): number => 1 << KINDS.indexOf(kind);
const ALL = (1 << KINDS.length) - 1;
const UPPER = bit('A-F') | bit('G-Z');
const LOWER = bit('a-f') | bit('g-z');
const NON_ASCII = bit('Latin letter') | bit('other non-ASCII');
/** The class bits of the upper-case ASCII letters. */
export const UPPER_CASE_CLASSES = UPPER;
/** The class bits of the code units above 127. */
export const NON_ASCII_CLASSES = NON_ASCII;
/** Code units below this are classified by table; all others are 'other non-ASCII'. */
const TABLE_SIZE = 0x250;

/** The class bit of each code unit below TABLE_SIZE. */
const CLASS_OF: Uint32Array = (() => {
  const table = new Uint32Array(TABLE_SIZE);
  for (let c = 0; c < TABLE_SIZE; c++) {
    const ch = String.fromCharCode(c);
    let kind: (typeof KINDS)[number];
    if (c >= 48 && c <= 57) kind = 'digit';
    else if (c >= 65 && c <= 70) kind = 'A-F';
    else if (c >= 71 && c <= 90) kind = 'G-Z';
    else if (c >= 97 && c <= 102) kind = 'a-f';
    else if (c >= 103 && c <= 122) kind = 'g-z';
    else if (c === 32) kind = 'space';
    else if (c < 32 || c === 127) kind = 'control';
    else if (c < 128)
      kind = (KINDS as readonly string[]).includes(ch) ? (ch as (typeof KINDS)[number]) : 'other ASCII';
    else if (c >= 0xc0 && c !== 0xd7 && c !== 0xf7) kind = 'Latin letter';
    else kind = 'other non-ASCII';
    table[c] = bit(kind);
  }
  return table;
})();

/** Returns the class bit of one code unit. */
const classOf = (code: number): number => (code < TABLE_SIZE ? CLASS_OF[code]! : bit('other non-ASCII'));

/** Returns the class set of a string: the kinds of characters it holds. */
export function classesOf(text: string): number {
  let classes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    classes |= c < TABLE_SIZE ? CLASS_OF[c]! : bit('other non-ASCII');
  }
  return classes;
}

/** The lengths and kinds of characters of every string a pattern or dictionary matches in full. */
export interface Prefilter {
  readonly minLength: number;
  /** `Infinity` when unbounded. */
  readonly maxLength: number;
  /** The kinds of characters a match can hold. */
  readonly allowed: number;
  /** The kinds of characters every match holds. */
  readonly required: number;
}

/** A value's length and the kinds of characters it holds, computed once and tested against many prefilters. */
export interface ValueShape {
  readonly length: number;
  readonly classes: number;
}

/** Returns whether a value of this shape can match: its length is in bounds, and its kinds of characters fit. */
export function admits(filter: Prefilter, shape: ValueShape): boolean {
  return (
    shape.length >= filter.minLength &&
    shape.length <= filter.maxLength &&
    (shape.classes & ~filter.allowed) === 0 &&
    (shape.classes & filter.required) === filter.required
  );
}

/** With ASCII case-insensitive matching, a letter of either case stands for both. */
function closeCase(classes: number): number {
  let out = classes;
  if (classes & UPPER) out |= (classes & UPPER) << 2;
  if (classes & LOWER) out |= (classes & LOWER) >>> 2;
  return out;
}

/** Returns the prefilter of a dictionary compared exactly, or after ASCII lower-casing when case-insensitive. */
export function dictionaryPrefilter(values: readonly string[], caseInsensitive: boolean): Prefilter {
  let allowed = 0;
  let required = ALL;
  let minLength = Number.POSITIVE_INFINITY;
  let maxLength = 0;
  for (const value of values) {
    minLength = Math.min(minLength, value.length);
    maxLength = Math.max(maxLength, value.length);
    const classes = classesOf(value);
    allowed |= classes;
    required &= classes;
  }
  // Lower-casing maps A-Z onto a-z only: an upper-case letter can match wherever its lower case can,
  // and a required letter may come in either case.
  if (caseInsensitive) {
    allowed = closeCase(allowed);
    required &= ~(UPPER | LOWER);
  }
  if (values.length === 0) return { minLength: 1, maxLength: 0, allowed: 0, required: 0 };
  return { minLength, maxLength, allowed, required };
}

/**
 * Returns the prefilter of an anchored pattern (`^...$`, no alternation outside a group) as JavaScript
 * reads it without the `u` flag, or null when the pattern uses syntax this analysis does not follow
 * (lookaround, backreferences, inner anchors, an empty class): then every value must be tested.
 */
export function patternPrefilter(pattern: string, caseInsensitive: boolean): Prefilter | null {
  if (!pattern.startsWith('^') || !pattern.endsWith('$') || pattern.length < 2) return null;
  const body = pattern.slice(1, -1);
  let backslashes = 0;
  for (let i = body.length - 1; i >= 0 && body[i] === '\\'; i--) backslashes++;
  if (backslashes % 2 === 1) return null;
  try {
    const parser = new Parser(body);
    const span = parser.alternation(true);
    if (parser.at !== body.length) return null;
    let { allowed } = parser;
    let { required } = span;
    if (caseInsensitive) {
      allowed = closeCase(allowed);
      // Non-ASCII letters fold to other non-ASCII code units, possibly outside Latin-1.
      if (allowed & NON_ASCII) allowed |= NON_ASCII;
      required &= ~(UPPER | LOWER | NON_ASCII);
    }
    return { minLength: span.min, maxLength: span.max, allowed, required };
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}

class Unsupported extends Error {}

/** What a piece of pattern matches: its shortest and longest length and the kinds of characters it always holds. */
interface Span {
  readonly min: number;
  readonly max: number;
  readonly required: number;
}

/** One position: the kinds of characters it matches, or undefined for a zero-width assertion. */
type Position = number | undefined;

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { t: 9, n: 10, v: 11, f: 12, r: 13, '0': 0 };
const DIGITS = bit('digit');
const WORD = DIGITS | UPPER | LOWER | bit('_');
const SPACES = bit('space') | bit('control') | bit('other non-ASCII');

/** A recursive-descent reader of the portable regex subset that measures lengths and collects character kinds. */
class Parser {
  at = 0;
  /** The kinds of characters any position can match. */
  allowed = 0;

  constructor(private readonly source: string) {}

  alternation(top: boolean): Span {
    let span = this.sequence();
    while (this.source[this.at] === '|') {
      if (top) throw new Unsupported();
      this.at++;
      const next = this.sequence();
      span = {
        min: Math.min(span.min, next.min),
        max: Math.max(span.max, next.max),
        required: span.required & next.required,
      };
    }
    return span;
  }

  private sequence(): Span {
    let min = 0;
    let max = 0;
    let required = 0;
    while (this.at < this.source.length && this.source[this.at] !== '|' && this.source[this.at] !== ')') {
      const atom = this.atom();
      const { low, high } = this.quantifier();
      min += atom.min * low;
      max += atom.max === 0 || high === 0 ? 0 : atom.max * high;
      if (low > 0) required |= atom.required;
    }
    return { min, max, required };
  }

  private atom(): Span {
    const c = this.source[this.at++]!;
    switch (c) {
      case '(': {
        if (this.source[this.at] === '?') {
          if (this.source[this.at + 1] !== ':') throw new Unsupported();
          this.at += 2;
        }
        const span = this.alternation(false);
        if (this.source[this.at++] !== ')') throw new Unsupported();
        return span;
      }
      case '[':
        return this.position(this.characterClass());
      case '\\':
        return this.position(this.escape());
      case '.':
        return this.position(ALL);
      case '^':
      case '$':
      case '*':
      case '+':
      case '?':
        throw new Unsupported();
      default:
        return this.position(classOf(c.charCodeAt(0)));
    }
  }

  /** Returns the span of one position matching `classes` (zero-width when undefined) and records its kinds. */
  private position(classes: Position): Span {
    if (classes === undefined) return { min: 0, max: 0, required: 0 };
    this.allowed |= classes;
    // A position requires a kind of character only when it can match no other kind.
    const single = (classes & (classes - 1)) === 0;
    return { min: 1, max: 1, required: single ? classes : 0 };
  }

  /** Reads an optional quantifier (and its lazy `?`) after an atom; `{` not forming one is a literal. */
  private quantifier(): { low: number; high: number } {
    const c = this.source[this.at];
    let bounds: { low: number; high: number } | undefined;
    if (c === '*') bounds = { low: 0, high: Number.POSITIVE_INFINITY };
    else if (c === '+') bounds = { low: 1, high: Number.POSITIVE_INFINITY };
    else if (c === '?') bounds = { low: 0, high: 1 };
    if (bounds) this.at++;
    else if (c === '{') {
      const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(this.source.slice(this.at));
      if (!m) return { low: 1, high: 1 };
      const low = Number(m[1]);
      const high = m[2] === undefined ? low : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
      bounds = { low, high };
      this.at += m[0].length;
    } else return { low: 1, high: 1 };
    if (this.source[this.at] === '?') this.at++;
    return bounds;
  }

  /** Reads an escape outside a class: its kinds of characters, or undefined for `\b` and `\B`. */
  private escape(): Position {
    const c = this.source[this.at++];
    if (c === undefined) throw new Unsupported();
    if (c === 'b' || c === 'B') return undefined;
    if (c >= '1' && c <= '9') throw new Unsupported();
    return this.classEscape(c).classes;
  }

  /** Reads the rest of an escape; returns its kinds of characters and, when it denotes one, its code unit. */
  private classEscape(c: string): { classes: number; code?: number } {
    switch (c) {
      case 'd':
        return { classes: DIGITS };
      case 'w':
        return { classes: WORD };
      case 's':
        return { classes: SPACES };
      case 'D':
      case 'W':
      case 'S':
        return { classes: ALL };
      case 'x':
      case 'u': {
        const width = c === 'x' ? 2 : 4;
        const hex = this.source.slice(this.at, this.at + width);
        if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== width) throw new Unsupported();
        this.at += width;
        const code = Number.parseInt(hex, 16);
        return { classes: classOf(code), code };
      }
      case 'c':
      case 'k':
        throw new Unsupported();
      default: {
        const code = SIMPLE_ESCAPES[c] ?? c.charCodeAt(0);
        return { classes: classOf(code), code };
      }
    }
  }

  /** Reads a bracket expression after its `[`; returns the kinds of characters it matches. */
  private characterClass(): number {
    if (this.source[this.at] === '^') {
      this.skipClass();
      return ALL;
    }
    if (this.source[this.at] === ']') throw new Unsupported();
    let classes = 0;
    while (this.source[this.at] !== ']') {
      const from = this.classAtom();
      classes |= from.classes;
      if (this.source[this.at] === '-' && this.source[this.at + 1] !== ']' && from.code !== undefined) {
        this.at++;
        const to = this.classAtom();
        // A range to a shorthand class (`[a-\d]`) is the three members a, - and the class.
        if (to.code === undefined) classes |= to.classes | classOf(45);
        else if (to.code < from.code) throw new Unsupported();
        else classes |= rangeClasses(from.code, to.code);
      }
    }
    this.at++;
    return classes;
  }

  /** Reads one class member: its kinds of characters and, unless a shorthand like `\d`, its code unit. */
  private classAtom(): { classes: number; code?: number } {
    const c = this.source[this.at++];
    if (c === undefined) throw new Unsupported();
    if (c !== '\\') return { classes: classOf(c.charCodeAt(0)), code: c.charCodeAt(0) };
    const e = this.source[this.at++];
    if (e === undefined) throw new Unsupported();
    if (e === 'b') return { classes: classOf(8), code: 8 };
    if (e >= '1' && e <= '9') throw new Unsupported();
    return this.classEscape(e);
  }

  private skipClass(): void {
    while (this.at < this.source.length && this.source[this.at] !== ']') {
      if (this.source[this.at] === '\\') this.at++;
      this.at++;
    }
    if (this.source[this.at++] !== ']') throw new Unsupported();
  }
}

/** Returns the kinds of characters of the code units from..to. */
function rangeClasses(from: number, to: number): number {
  let classes = 0;
  for (let c = from; c <= Math.min(to, TABLE_SIZE - 1); c++) classes |= CLASS_OF[c]!;
  if (to >= TABLE_SIZE) classes |= bit('other non-ASCII');
  return classes;
}
