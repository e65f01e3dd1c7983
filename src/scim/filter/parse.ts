import { AppError } from '../../errors/index.ts';
import type { AttrPath, CompareOp, FilterNode, FilterValue, PatchPath } from './ast.ts';
import { COMPARE_OPS } from './ast.ts';
import { type Token, tokenize } from './tokens.ts';

/** Longest filter or path accepted, in characters. */
export const MAX_FILTER_LENGTH = 4096;

/** Deepest nesting of parentheses, `not` and value filters accepted. */
const MAX_DEPTH = 32;

const NAME = /^[A-Za-z$][\w$-]*$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][-]?\d+)?$/;

type Fail = (detail: string) => AppError;

/** Splits `urn:...:User:name.givenName` into schema URN, attribute and sub-attribute; undefined if malformed. */
export function parseAttrPath(text: string): AttrPath | undefined {
  const colon = text.lastIndexOf(':');
  const uri = colon >= 0 ? text.slice(0, colon) : undefined;
  if (uri !== undefined && !/^urn:[^\s]+$/i.test(uri)) return undefined;
  const [name, sub, ...rest] = text.slice(colon + 1).split('.');
  if (!name || !NAME.test(name) || rest.length > 0 || (sub !== undefined && !NAME.test(sub)))
    return undefined;
  return { ...(uri ? { uri } : {}), name, ...(sub !== undefined ? { sub } : {}) };
}

class Parser {
  #i = 0;
  #depth = 0;
  readonly #tokens: readonly Token[];
  readonly #fail: Fail;

  constructor(tokens: readonly Token[], fail: Fail) {
    this.#tokens = tokens;
    this.#fail = fail;
  }

  get #next(): Token {
    return this.#tokens[this.#i]!;
  }

  #error(expected: string): AppError {
    const t = this.#next;
    const found =
      t.kind === 'end'
        ? 'the end'
        : t.kind === 'word'
          ? `"${t.text}"`
          : t.kind === 'string'
            ? 'a string'
            : `"${t.kind}"`;
    return this.#fail(`Expected ${expected} at character ${t.at + 1}, found ${found}.`);
  }

  #keyword(word: string): boolean {
    const t = this.#next;
    if (t.kind === 'word' && t.text.toLowerCase() === word) {
      this.#i++;
      return true;
    }
    return false;
  }

  #expect(kind: '(' | ')' | '[' | ']' | 'end', what: string): void {
    if (this.#next.kind !== kind) throw this.#error(what);
    this.#i++;
  }

  #enter(): void {
    if (++this.#depth > MAX_DEPTH) throw this.#fail(`The expression nests deeper than ${MAX_DEPTH} levels.`);
  }

  /** filter := and ('or' and)* */
  filter(): FilterNode {
    this.#enter();
    let node = this.#and();
    while (this.#keyword('or')) node = { kind: 'or', left: node, right: this.#and() };
    this.#depth--;
    return node;
  }

  #and(): FilterNode {
    let node = this.#unary();
    while (this.#keyword('and')) node = { kind: 'and', left: node, right: this.#unary() };
    return node;
  }

  #unary(): FilterNode {
    if (this.#next.kind === '(') {
      this.#i++;
      const inner = this.filter();
      this.#expect(')', '")"');
      return inner;
    }
    const t = this.#next;
    if (t.kind === 'word' && t.text.toLowerCase() === 'not' && this.#tokens[this.#i + 1]?.kind === '(') {
      this.#i++;
      this.#enter();
      const operand = this.#unary();
      this.#depth--;
      return { kind: 'not', operand };
    }
    return this.#attributeExpression();
  }

  attrPath(): AttrPath {
    const t = this.#next;
    if (t.kind !== 'word') throw this.#error('an attribute name');
    const attr = parseAttrPath(t.text);
    if (!attr) throw this.#fail(`"${t.text}" at character ${t.at + 1} is not an attribute path.`);
    this.#i++;
    return attr;
  }

  /** A value filter in brackets, and the sub-attribute after it if any (`[type eq "work"].value`). */
  valueFilter(attr: AttrPath): { filter: FilterNode; sub?: string } {
    if (attr.sub !== undefined) throw this.#fail(`A value filter cannot follow "${attr.name}.${attr.sub}".`);
    this.#expect('[', '"["');
    const filter = this.filter();
    this.#expect(']', '"]"');
    const t = this.#next;
    if (t.kind === 'word' && t.text.startsWith('.')) {
      const sub = t.text.slice(1);
      if (!NAME.test(sub)) throw this.#fail(`"${t.text}" at character ${t.at + 1} is not a sub-attribute.`);
      this.#i++;
      return { filter, sub };
    }
    return { filter };
  }

  #attributeExpression(): FilterNode {
    let attr = this.attrPath();
    let elementFilter: FilterNode | undefined;
    if (this.#next.kind === '[') {
      this.#enter();
      const value = this.valueFilter(attr);
      this.#depth--;
      if (value.sub === undefined) return { kind: 'valuePath', attr, filter: value.filter };
      attr = { ...attr, sub: value.sub };
      elementFilter = value.filter;
    }
    const extra = elementFilter ? { elementFilter } : {};
    if (this.#keyword('pr')) return { kind: 'present', attr, ...extra };
    const t = this.#next;
    const op = t.kind === 'word' ? (t.text.toLowerCase() as CompareOp) : undefined;
    if (!op || !COMPARE_OPS.includes(op))
      throw this.#error('an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr)');
    this.#i++;
    return { kind: 'compare', attr, op, value: this.#value(), ...extra };
  }

  #value(): FilterValue {
    const t = this.#next;
    this.#i++;
    if (t.kind === 'string') return t.value;
    if (t.kind === 'word') {
      const lower = t.text.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      if (lower === 'null') return null;
      if (NUMBER.test(t.text)) return Number(t.text);
    }
    this.#i--;
    throw this.#error('a value (a "string", a number, true, false or null)');
  }

  /** Returns true when the next token opens a value filter. */
  atValueFilter(): boolean {
    return this.#next.kind === '[';
  }

  end(): void {
    this.#expect('end', 'the end of the expression');
  }
}

function parserFor(text: string, fail: Fail): Parser {
  if (text.length > MAX_FILTER_LENGTH)
    throw fail(`The expression is longer than ${MAX_FILTER_LENGTH} characters.`);
  const tokens = tokenize(text);
  if (!Array.isArray(tokens)) throw fail(`At character ${tokens.badAt + 1}: ${tokens.reason}.`);
  return new Parser(tokens, fail);
}

const filterError: Fail = (detail) => new AppError('USER_FILTER_INVALID', `Invalid filter: ${detail}`);
const pathError: Fail = (detail) => new AppError('USER_PATCH_PATH_INVALID', `Invalid path: ${detail}`);

/**
 * Parses a SCIM filter (RFC 7644 §3.4.2.2): comparisons, `pr`, `and`, `or`, `not (...)`, parentheses
 * and value filters (`emails[type eq "work"]`). Operators and keywords are case-insensitive. Bad syntax
 * is USER_FILTER_INVALID (SCIM `invalidFilter`), naming the character where parsing stopped.
 */
export function parseFilter(text: string): FilterNode {
  const parser = parserFor(text, filterError);
  const node = parser.filter();
  parser.end();
  return node;
}

/**
 * Parses a PATCH path (RFC 7644 §3.5.2): `name.givenName`, `emails[type eq "work"].value`,
 * `members[value eq "2"]`, `urn:...:enterprise:2.0:User:department`. Bad syntax is
 * USER_PATCH_PATH_INVALID (SCIM `invalidPath`).
 */
export function parsePatchPath(text: string): PatchPath {
  const parser = parserFor(text, pathError);
  const attr = parser.attrPath();
  let path: PatchPath = { attr };
  if (parser.atValueFilter()) {
    const value = parser.valueFilter(attr);
    path = { attr, filter: value.filter, ...(value.sub !== undefined ? { subAfterFilter: value.sub } : {}) };
  }
  parser.end();
  return path;
}
