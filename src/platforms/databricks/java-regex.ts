/**
 * Translates an identifier's pattern, written for a JavaScript RegExp without the `u`, `s` or `m`
 * flags, into a java.util.regex pattern (what Databricks' `rlike` runs) that accepts exactly the same
 * strings of the Basic Multilingual Plane. What differs between the two engines, and what is done:
 *
 * - `$` also matches before a final line terminator in Java: it becomes `\z` (end of input).
 * - `.` excludes \n \r \u2028 \u2029 in JavaScript but also \u0085 in Java: it becomes that class.
 * - `\s` is Unicode white space in JavaScript, ASCII in Java: it becomes JavaScript's list.
 * - `\b` and `\B` use Unicode letters in some JDKs: they become lookarounds on the ASCII `\w`.
 * - `\v` is one character in JavaScript, a class in Java; `\cx` differs for lower-case x; letters
 *   escaped for no reason (`\a`, `\e`, `\p`...) are literal in JavaScript and special in Java: each
 *   becomes the character JavaScript means.
 * - `[` and `&&` nest and intersect inside a Java class, and a `{` that starts no quantifier is an
 *   error in Java: they are escaped. Named groups become plain groups (nothing refers to them).
 * - Case-insensitive matching: Java's `(?i)` folds ASCII letters only, JavaScript folds any letter
 *   whose upper case is one character (never to ASCII). The pattern gets `(?i)` and each non-ASCII
 *   character, alone or in a class, is widened to every character JavaScript folds together with it.
 *
 * A character outside the BMP (an emoji) is one code point to Java and two code units to JavaScript:
 * the caller matches a view of the value where it is two U+FFFD, which agrees for every pattern whose
 * classes take all surrogates and U+FFFD or none of them (`parsePattern` refuses the others). Patterns
 * the portable subset excludes (lookaround, backreferences, octal escapes, surrogates) are refused.
 */
export function javaRegex(pattern: string, caseInsensitive: boolean): string | undefined {
  try {
    new RegExp(pattern, caseInsensitive ? 'i' : '');
    return (caseInsensitive ? '(?i)' : '') + translate(pattern, caseInsensitive);
  } catch {
    return undefined;
  }
}

type Ranges = Array<readonly [number, number]>;

/** Thrown for a construct with no faithful Java equivalent; `javaRegex` turns it into undefined. */
class Untranslatable extends Error {}

const JS_SPACE: Ranges = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
const DIGIT: Ranges = [[0x30, 0x39]];
const WORD: Ranges = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
const SETS: Readonly<Record<string, Ranges>> = { d: DIGIT, w: WORD, s: JS_SPACE };
const DOT = '[^\\n\\r\\u2028\\u2029]';
const WORD_BOUNDARY = '(?:(?<=\\w)(?!\\w)|(?<!\\w)(?=\\w))';
const NOT_WORD_BOUNDARY = '(?:(?<=\\w)(?=\\w)|(?<!\\w)(?!\\w))';
const CONTROL: Readonly<Record<string, number>> = { t: 0x09, n: 0x0a, v: 0x0b, f: 0x0c, r: 0x0d };
const OUTSIDE_META = new Set('\\^$.|?*+()[]{}');
const INSIDE_META = new Set('\\[]^-&');

const isSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdfff;

/** JavaScript's Canonicalize for non-Unicode case-insensitive matching (ECMA-262 22.2.2.7.3). */
function canonicalize(code: number): number {
  const upper = String.fromCharCode(code).toUpperCase();
  if (upper.length !== 1) return code;
  const u = upper.charCodeAt(0);
  return code >= 128 && u < 128 ? code : u;
}

let foldGroups: Map<number, number[]> | undefined;

/** The characters JavaScript's `i` flag treats as equal to `code`, itself included. */
function variants(code: number): readonly number[] {
  if (foldGroups === undefined) {
    foldGroups = new Map();
    for (let c = 0; c <= 0xffff; c++) {
      const key = canonicalize(c);
      const group = foldGroups.get(key);
      if (group) group.push(c);
      else foldGroups.set(key, [c]);
    }
  }
  return foldGroups.get(canonicalize(code)) ?? [code];
}

const hex = (code: number, width: number): string => code.toString(16).toUpperCase().padStart(width, '0');

function escapeChar(code: number, meta: ReadonlySet<string>): string {
  if (isSurrogate(code)) throw new Untranslatable();
  const c = String.fromCharCode(code);
  if (code >= 0x20 && code <= 0x7e) return meta.has(c) ? `\\${c}` : c;
  return code < 0x100 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
}

function normalise(ranges: Ranges): Ranges {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(ranges: Ranges): Ranges {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [lo, hi] of normalise(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= 0xffff) out.push([next, 0xffff]);
  return out;
}

/** Adds the case variants of every non-ASCII member (ASCII letters are left to Java's `(?i)`). */
function widen(ranges: Ranges): Ranges {
  const extra: Array<[number, number]> = [];
  for (const [lo, hi] of ranges) {
    for (let c = Math.max(lo, 128); c <= hi; c++)
      for (const v of variants(c)) if (v !== c) extra.push([v, v]);
  }
  return normalise([...ranges, ...extra]);
}

/** Where a range is cut before writing, so each written range stays within digits, letters or the rest. */
const CUTS = [0x30, 0x3a, 0x41, 0x5b, 0x61, 0x7b, 0x80];

/** Writes one range: digits, letters and non-ASCII as `a-z`; ASCII symbols one by one, for readability. */
function rangeText(lo: number, hi: number): string {
  const symbols = lo >= 0x20 && hi < 0x80 && !/[0-9A-Za-z]/.test(String.fromCharCode(lo));
  if (symbols || hi - lo < 2) {
    let out = '';
    for (let c = lo; c <= hi; c++) out += escapeChar(c, INSIDE_META);
    return out;
  }
  return `${escapeChar(lo, INSIDE_META)}-${escapeChar(hi, INSIDE_META)}`;
}

function classText(ranges: Ranges, negated: boolean): string {
  let body = '';
  for (const [lo, hi] of normalise(ranges)) {
    let start = lo;
    for (const cut of CUTS) {
      if (cut > start && cut <= hi) {
        body += rangeText(start, cut - 1);
        start = cut;
      }
    }
    body += rangeText(start, hi);
  }
  return `[${negated ? '^' : ''}${body}]`;
}

/** A character the pattern means literally, widened to its case variants when needed. */
function literal(code: number, ci: boolean): string {
  if (ci && code >= 128 && variants(code).length > 1) {
    return classText(
      variants(code).map((v) => [v, v] as const),
      false,
    );
  }
  return escapeChar(code, OUTSIDE_META);
}

/** One character, or a set (`\d`, `\S`...), read from the pattern, and the index after it. */
interface Member {
  readonly code?: number;
  readonly set?: Ranges;
  readonly negated?: boolean;
  readonly next: number;
}

/** Reads the escape at `i` (a backslash) shared by atoms and class members. */
function readEscape(p: string, i: number, inClass: boolean): Member {
  const e = p[i + 1]!;
  const lower = e.toLowerCase();
  const set = SETS[lower];
  if (set) return { set, negated: e !== lower, next: i + 2 };
  const control = CONTROL[e];
  if (control !== undefined) return { code: control, next: i + 2 };
  if (e === 'b' && inClass) return { code: 0x08, next: i + 2 };
  if (e === 'c') {
    const x = p[i + 2] ?? '';
    if (/[A-Za-z]/.test(x) || (inClass && /[0-9_]/.test(x)))
      return { code: x.charCodeAt(0) % 32, next: i + 3 };
    throw new Untranslatable();
  }
  if (e === 'x' && /^[0-9A-Fa-f]{2}$/.test(p.slice(i + 2, i + 4)))
    return { code: Number.parseInt(p.slice(i + 2, i + 4), 16), next: i + 4 };
  if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(p.slice(i + 2, i + 6)))
    return { code: Number.parseInt(p.slice(i + 2, i + 6), 16), next: i + 6 };
  if (e === '0' && !/[0-9]/.test(p[i + 2] ?? '')) return { code: 0, next: i + 2 };
  if (/[0-9k]/.test(e)) throw new Untranslatable();
  return { code: e.charCodeAt(0), next: i + 2 };
}

/** Translates the character class starting at `i` (a `[`); returns its Java text and the next index. */
function readClass(p: string, i: number, ci: boolean): { readonly text: string; readonly next: number } {
  let j = i + 1;
  const negated = p[j] === '^';
  if (negated) j++;
  if (p[j] === ']') return { text: negated ? '(?s:.)' : '(?!)', next: j + 1 };
  const ranges: Array<readonly [number, number]> = [];
  const atom = (k: number): Member =>
    p[k] === '\\' ? readEscape(p, k, true) : { code: p.charCodeAt(k), next: k + 1 };
  while (p[j] !== ']') {
    const first = atom(j);
    j = first.next;
    if (p[j] === '-' && p[j + 1] !== ']') {
      const second = atom(j + 1);
      if (first.code !== undefined && second.code !== undefined) {
        ranges.push([first.code, second.code]);
        j = second.next;
        continue;
      }
    }
    if (first.set) ranges.push(...(first.negated ? complement(first.set) : first.set));
    else ranges.push([first.code!, first.code!]);
  }
  return { text: classText(ci ? widen(ranges) : ranges, negated), next: j + 1 };
}

function translate(p: string, ci: boolean): string {
  let out = '';
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    if (c === '\\') {
      const e = p[i + 1];
      if (e === 'b' || e === 'B') {
        out += e === 'b' ? WORD_BOUNDARY : NOT_WORD_BOUNDARY;
        i += 2;
        continue;
      }
      const member = readEscape(p, i, false);
      out += member.set ? classText(member.set, member.negated === true) : literal(member.code!, ci);
      i = member.next;
    } else if (c === '[') {
      const cls = readClass(p, i, ci);
      out += cls.text;
      i = cls.next;
    } else if (c === '(') {
      if (p.startsWith('(?:', i)) {
        out += '(?:';
        i += 3;
      } else if (p[i + 1] !== '?') {
        out += '(';
        i += 1;
      } else if (p.startsWith('(?<', i) && p[i + 3] !== '=' && p[i + 3] !== '!') {
        out += '(?:';
        i = p.indexOf('>', i) + 1;
      } else throw new Untranslatable();
    } else if (c === '{') {
      const quantifier = /^\{[0-9]+(?:,[0-9]*)?\}/.exec(p.slice(i))?.[0];
      out += quantifier ?? '\\{';
      i += quantifier?.length ?? 1;
    } else {
      if (c === '.') out += DOT;
      else if (c === '$') out += '\\z';
      else if ('^|)*+?'.includes(c)) out += c;
      else out += literal(p.charCodeAt(i), ci);
      i += 1;
    }
  }
  return out;
}
