// The syntax of portable patterns: a recursive-descent parser to an immutable tree, and the canonical
// text of each position. What a parsed pattern may look like is checked in pattern-shape.ts.
import { type CharSet, charSet, complement, countIn, single, union } from './char-set.ts';

/** The largest bound a quantifier may use (PostgreSQL's and RE2's `DUPMAX`). */
export const MAX_BOUND = 255;
/** The deepest group nesting accepted. */
const MAX_DEPTH = 50;

/** A parsed pattern: immutable nodes discriminated by `kind`, each with its offset in the source. */
export type Node =
  | {
      readonly kind: 'chars';
      readonly at: number;
      readonly set: CharSet;
      readonly negated: boolean;
      readonly text: string;
    }
  | { readonly kind: 'seq'; readonly at: number; readonly items: readonly Node[] }
  | { readonly kind: 'alt'; readonly at: number; readonly branches: readonly Node[] }
  | { readonly kind: 'group'; readonly at: number; readonly body: Node }
  | {
      readonly kind: 'repeat';
      readonly at: number;
      readonly body: Node;
      readonly min: number;
      readonly max: number | null;
    };

/** Why a pattern is refused, and at which offset of its source. */
export class Refusal extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

/** The UTF-16 code unit of a one-character string. */
export const code = (c: string): number => c.charCodeAt(0);
const range = (from: string, to: string): [number, number] => [code(from), code(to)];
const DIGITS = charSet([range('0', '9')]);
const WORD = charSet([range('A', 'Z'), range('a', 'z'), range('0', '9'), range('_', '_')]);
/** `\s` means ASCII whitespace only, the characters trimmed from values (TRIMMED_CHARACTERS). */
const SPACE = charSet([' ', '\t', '\n', '\r', '\f', '\v'].map((c) => [code(c), code(c)] as [number, number]));
const LINE_TERMINATORS = charSet([0x0a, 0x0d, 0x2028, 0x2029].map((c) => [c, c] as [number, number]));
const SHORTHANDS: Readonly<Record<string, { readonly set: CharSet; readonly inline: string }>> = {
  d: { set: DIGITS, inline: '0-9' },
  w: { set: WORD, inline: 'A-Za-z0-9_' },
  s: { set: SPACE, inline: ' \\t\\n\\r\\f\\v' },
};
const NAMED: Readonly<Record<string, number>> = { t: 9, n: 10, v: 11, f: 12, r: 13 };
const NAMED_TEXT: Readonly<Record<number, string>> = { 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };
const META = new Set('\\^$.|?*+()[]{}');
const CLASS_META = new Set('\\]^-[');
const NEEDS_ESCAPE = /[\p{C}\p{Z}]/u;

/** Writes one code unit as the pattern text matching it literally, outside or inside a class. */
function charText(c: number, inClass: boolean): string {
  const named = NAMED_TEXT[c];
  if (named) return named;
  const ch = String.fromCharCode(c);
  if (inClass ? CLASS_META.has(ch) : META.has(ch)) return `\\${ch}`;
  if (ch !== ' ' && NEEDS_ESCAPE.test(ch)) return `\\u${c.toString(16).padStart(4, '0')}`;
  return ch;
}

/** Writes a set as the inside of a class: ranges of three or more units as `a-z`, a lone `-` first or last. */
function rangesText(set: CharSet): string {
  const last = set.length - 1;
  return set
    .map(([lo, hi], n) =>
      lo === hi
        ? lo === code('-') && (n === 0 || n === last)
          ? '-'
          : charText(lo, true)
        : hi === lo + 1
          ? (lo === code('-') && n === 0 ? '-' : charText(lo, true)) +
            (hi === code('-') && n === last ? '-' : charText(hi, true))
          : `${charText(lo, true)}-${charText(hi, true)}`,
    )
    .join('');
}

/** Writes a set as an atom: a literal, a class, or a negated class when that is shorter. */
export function setText(set: CharSet, negated: boolean): string {
  if (!negated && set.length === 1 && set[0]![0] === set[0]![1]) return charText(set[0]![0], false);
  const flip = complement(set);
  if (flip.length > 0 && flip.length < set.length) return setText(flip, !negated);
  return `[${negated ? '^' : ''}${rangesText(set)}]`;
}

const SURROGATES_AND_REPLACEMENT = 0xdfff - 0xd800 + 2;

/**
 * Builds a position node, refusing sets that split the surrogates and U+FFFD: a character outside the
 * Basic Multilingual Plane is two surrogate code units in JavaScript and one character in PostgreSQL,
 * which the platform compares as two U+FFFD (see `JS_VIEW` in the platform), so both must agree.
 */
function chars(at: number, set: CharSet, negated: boolean, text: string): Node {
  const n = countIn(set, 0xd800, 0xdfff) + countIn(set, 0xfffd, 0xfffd);
  if (n !== 0 && n !== SURROGATES_AND_REPLACEMENT) {
    throw new Refusal(
      'Surrogate code units (U+D800-U+DFFF), characters outside the Basic Multilingual Plane and U+FFFD cannot be matched portably.',
      at,
    );
  }
  return { kind: 'chars', at, set, negated, text };
}

type ClassItem =
  | { readonly kind: 'char'; readonly code: number }
  | { readonly kind: 'shorthand'; readonly set: CharSet; readonly negated: boolean; readonly inline: string };

/** A recursive-descent parser of the portable subset; throws a Refusal with the offending offset. */
export class Parser {
  pos = 0;
  startAnchor = false;
  endAnchor = false;

  constructor(readonly src: string) {}

  parse(): Node {
    if (this.src.startsWith('^')) {
      this.startAnchor = true;
      this.pos = 1;
    }
    const body = this.alternation(0);
    if (this.pos < this.src.length) throw new Refusal('Unmatched ")".', this.pos);
    return body;
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  private alternation(depth: number): Node {
    const at = this.pos;
    const branches = [this.sequence(depth)];
    while (this.peek() === '|') {
      this.pos++;
      branches.push(this.sequence(depth));
    }
    return branches.length === 1 ? branches[0]! : { kind: 'alt', at, branches };
  }

  private sequence(depth: number): Node {
    const at = this.pos;
    const items: Node[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') break;
      if (c === '$') {
        if (depth === 0 && this.pos === this.src.length - 1) {
          this.endAnchor = true;
          this.pos++;
          break;
        }
        throw new Refusal('The anchor $ is only allowed at the very end of the pattern.', this.pos);
      }
      items.push(this.quantified(this.atom(depth)));
    }
    return items.length === 1 ? items[0]! : { kind: 'seq', at, items };
  }

  /** Reads `{n}`, `{n,}` or `{n,m}` at the current position, or returns undefined when there is none. */
  private bound(): { min: number; max: number | null; length: number } | undefined {
    const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(this.src.slice(this.pos, this.pos + 16));
    if (!m) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? null : Number(m[3]);
    if (min > MAX_BOUND || (max !== null && max > MAX_BOUND)) {
      throw new Refusal(`Quantifier bounds are limited to ${MAX_BOUND}.`, this.pos);
    }
    if (max !== null && max < min) throw new Refusal('The quantifier bounds are out of order.', this.pos);
    return { min, max, length: m[0].length };
  }

  private quantifier(): { min: number; max: number | null; length: number } | undefined {
    switch (this.peek()) {
      case '*':
        return { min: 0, max: null, length: 1 };
      case '+':
        return { min: 1, max: null, length: 1 };
      case '?':
        return { min: 0, max: 1, length: 1 };
      case '{':
        return this.bound();
      default:
        return undefined;
    }
  }

  private quantified(atom: Node): Node {
    const at = this.pos;
    const q = this.quantifier();
    if (!q) return atom;
    this.pos += q.length;
    const next = this.peek();
    if (next === '?') throw new Refusal('Lazy quantifiers (*?, +?, ??, {n,m}?) are not portable.', this.pos);
    if (next === '+') throw new Refusal('Possessive quantifiers (*+, ++) are not portable.', this.pos);
    if (next === '*' || (next === '{' && this.bound())) {
      throw new Refusal('A quantifier cannot follow another quantifier.', this.pos);
    }
    return { kind: 'repeat', at, body: atom, min: q.min, max: q.max };
  }

  private atom(depth: number): Node {
    const at = this.pos;
    const c = this.src[this.pos]!;
    switch (c) {
      case '(':
        return this.group(depth);
      case '[':
        return this.charClass();
      case '.':
        this.pos++;
        return chars(at, LINE_TERMINATORS, true, '[^\\n\\r\\u2028\\u2029]');
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        throw new Refusal(`The quantifier ${c} has nothing to repeat.`, at);
      case '{':
        if (this.bound()) throw new Refusal('The quantifier has nothing to repeat.', at);
        throw new Refusal('A { must start a bound such as {2,5}; write a literal { as \\{.', at);
      case '^':
        throw new Refusal('The anchor ^ is only allowed at the very start of the pattern.', at);
      default:
        this.pos++;
        return chars(at, single(code(c)), false, charText(code(c), false));
    }
  }

  private group(depth: number): Node {
    const at = this.pos;
    if (depth >= MAX_DEPTH) throw new Refusal(`Groups may nest at most ${MAX_DEPTH} deep.`, at);
    this.pos++;
    if (this.peek() === '?') {
      const kind = this.peek(1);
      const after = this.peek(2);
      if (kind === '=' || kind === '!') throw new Refusal('Lookahead is not portable.', at);
      if (kind === '<' && (after === '=' || after === '!'))
        throw new Refusal('Lookbehind is not portable.', at);
      if (kind === '<' || kind === 'P') throw new Refusal('Named groups are not portable.', at);
      if (kind !== ':') throw new Refusal('Inline flags and other (? groups are not portable.', at);
      this.pos += 2;
    }
    const body = this.alternation(depth + 1);
    if (this.peek() !== ')') throw new Refusal('Unterminated group: a ) is missing.', at);
    this.pos++;
    return { kind: 'group', at, body };
  }

  /** Reads an escape after `\`: a shorthand class, a control character or an escaped symbol. */
  private escapeItem(inClass: boolean): ClassItem {
    const at = this.pos;
    const c = this.src[this.pos + 1];
    if (c === undefined) throw new Refusal('The pattern ends with a lone backslash.', at);
    this.pos += 2;
    const shorthand = SHORTHANDS[c.toLowerCase()];
    if (shorthand) {
      return {
        kind: 'shorthand',
        set: shorthand.set,
        negated: c !== c.toLowerCase(),
        inline: shorthand.inline,
      };
    }
    const named = NAMED[c];
    if (named !== undefined) return { kind: 'char', code: named };
    const hex = c === 'x' ? 2 : c === 'u' ? 4 : 0;
    if (hex > 0) {
      const digits = this.src.slice(this.pos, this.pos + hex);
      if (!new RegExp(`^[0-9A-Fa-f]{${hex}}$`).test(digits)) {
        throw new Refusal(`\\${c} must be followed by ${hex} hexadecimal digits.`, at);
      }
      this.pos += hex;
      return { kind: 'char', code: Number.parseInt(digits, 16) };
    }
    if (c === 'b' || c === 'B') {
      throw new Refusal(
        inClass
          ? '[\\b] means backspace only in JavaScript.'
          : 'Word boundaries (\\b, \\B) are not portable.',
        at,
      );
    }
    if (c === '0') throw new Refusal('NUL cannot occur in platform text.', at);
    if (c >= '1' && c <= '9') throw new Refusal('Backreferences and octal escapes are not portable.', at);
    if (c === 'k') throw new Refusal('Named backreferences are not portable.', at);
    if (c === 'p' || c === 'P') throw new Refusal('Unicode property escapes are not portable.', at);
    if (/[A-Za-z]/.test(c)) throw new Refusal(`The escape \\${c} is not portable.`, at);
    if (code(c) > 0x7e || code(c) < 0x20) throw new Refusal('Only ASCII symbols may be escaped.', at);
    return { kind: 'char', code: code(c) };
  }

  private escape(): Node {
    const at = this.pos;
    const item = this.escapeItem(false);
    if (item.kind === 'char') return chars(at, single(item.code), false, charText(item.code, false));
    return chars(at, item.set, item.negated, `[${item.negated ? '^' : ''}${item.inline}]`);
  }

  private classItem(): ClassItem {
    const c = this.src[this.pos];
    if (c === undefined) throw new Refusal('Unterminated character class: a ] is missing.', this.pos);
    if (c === '\\') return this.escapeItem(true);
    this.pos++;
    return { kind: 'char', code: code(c) };
  }

  private charClass(): Node {
    const at = this.pos;
    this.pos++;
    const negated = this.peek() === '^';
    if (negated) this.pos++;
    if (this.peek() === ']') throw new Refusal('Empty classes [] and [^] are not portable.', at);
    const items: Array<ClassItem | { readonly kind: 'range'; readonly lo: number; readonly hi: number }> = [];
    while (this.peek() !== ']') {
      if (this.peek() === undefined) throw new Refusal('Unterminated character class: a ] is missing.', at);
      const itemAt = this.pos;
      const item = this.classItem();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        this.pos++;
        const end = this.classItem();
        if (item.kind !== 'char' || end.kind !== 'char') {
          throw new Refusal('A range cannot start or end with a class shorthand such as \\d.', itemAt);
        }
        if (end.code < item.code) throw new Refusal('The range is out of order.', itemAt);
        items.push({ kind: 'range', lo: item.code, hi: end.code });
      } else items.push(item);
    }
    this.pos++;
    const set = union(
      ...items.map((i) =>
        i.kind === 'char'
          ? single(i.code)
          : i.kind === 'range'
            ? charSet([[i.lo, i.hi]])
            : i.negated
              ? complement(i.set)
              : i.set,
      ),
    );
    if (items.some((i) => i.kind === 'shorthand' && i.negated))
      return chars(at, set, negated, setText(set, negated));
    const last = items.length - 1;
    const text = items
      .map((i, n) =>
        i.kind === 'shorthand'
          ? i.inline
          : i.kind === 'range'
            ? `${charText(i.lo, true)}-${charText(i.hi, true)}`
            : i.code === code('-') && (n === 0 || n === last)
              ? '-'
              : charText(i.code, true),
      )
      .join('');
    return chars(at, set, negated, `[${negated ? '^' : ''}${text}]`);
  }
}
