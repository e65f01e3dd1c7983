import type { ScanToken } from 'libpg-query';

/** Longest fragment quoted in a message; longer ones are cut with an ellipsis. */
const MAX_FRAGMENT = 80;

/** Keywords that end a node's text when they follow it (`x IS NOT NULL` has no location after `IS`). */
const TRAILING_TEST_WORDS = new Set(['IS', 'NOT', 'NULL', 'TRUE', 'FALSE', 'UNKNOWN', 'ISNULL', 'NOTNULL']);

/**
 * The user's text inside the SQL statement Steward wraps around it, able to cut out the parts a
 * message should quote. Parse-tree locations and scanner offsets are UTF-8 byte offsets into the
 * whole statement.
 */
export interface SourceText {
  /** The user's text of a parse-tree node, from its first to its last token with brackets balanced. */
  fragmentOf(node: unknown): string;
  /** The user's text from the byte offset (into the whole statement) to the end. */
  from(offset: number): string;
  /** The user's text from the first top-level token spelled as one of `words` (upper case), or all of it. */
  tailFrom(words: ReadonlySet<string>): string;
}

/** Builds the SourceText of user text that starts `prefixLength` bytes into `sql`. */
export function sourceText(sql: string, prefixLength: number, tokens: readonly ScanToken[]): SourceText {
  const bytes = Buffer.from(sql, 'utf8');
  const cut = (start: number, end: number): string => bytes.subarray(start, end).toString('utf8');
  const userTokens = tokens.filter((t) => t.start >= prefixLength);
  const whole = (): string => cut(prefixLength, bytes.length);

  return {
    fragmentOf(node) {
      const locations = locationsIn(node).filter((l) => l >= prefixLength);
      if (locations.length === 0) return whole();
      const start = locations.reduce((a, b) => Math.min(a, b));
      const last = locations.reduce((a, b) => Math.max(a, b));
      let i = userTokens.findIndex((t) => t.end > last);
      if (i < 0) return cut(start, bytes.length);
      let depth = 0;
      for (const t of userTokens.slice(0, i + 1)) if (t.start >= start) depth += bracketDelta(t);
      while (depth > 0 && i + 1 < userTokens.length) {
        i += 1;
        depth += bracketDelta(userTokens[i] as ScanToken);
      }
      // Parts with no location of their own: the rest of a dotted name (`s.t`), a collation's name,
      // and the parentheses of a call whose arguments have none (`f()`, `count(*)`).
      const at = (k: number): ScanToken | undefined => userTokens[k];
      for (;;) {
        const next = at(i + 1);
        const after = at(i + 2);
        if (next?.text === '.' && after !== undefined && (isName(after) || after.text === '*')) i += 2;
        else if (at(i)?.text.toUpperCase() === 'COLLATE' && next !== undefined && isName(next)) i += 1;
        else if (next?.text === '(' && isName(at(i) as ScanToken)) i = closingBracket(userTokens, i + 1);
        else break;
      }
      const trailingTest = (): boolean => TRAILING_TEST_WORDS.has(at(i + 1)?.text.toUpperCase() ?? '');
      if (isTest(node)) while (trailingTest()) i += 1;
      return cut(start, (userTokens[i] as ScanToken).end);
    },
    from(offset) {
      return cut(Math.max(offset, prefixLength), bytes.length);
    },
    tailFrom(words) {
      let depth = 0;
      for (const t of userTokens) {
        if (depth === 0 && words.has(t.text.toUpperCase())) return cut(t.start, bytes.length);
        depth += bracketDelta(t);
      }
      return whole();
    },
  };
}

/** Quotes a fragment of user text for a message: whitespace collapsed, long text cut short. */
export function quote(fragment: string): string {
  const flat = fragment.replace(/\s+/g, ' ').trim();
  return `"${flat.length > MAX_FRAGMENT ? `${flat.slice(0, MAX_FRAGMENT - 1)}…` : flat}"`;
}

/** Index of the token closing the bracket opened at `open` (the last token if it is never closed). */
function closingBracket(tokens: readonly ScanToken[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k += 1) {
    depth += bracketDelta(tokens[k] as ScanToken);
    if (depth === 0) return k;
  }
  return tokens.length - 1;
}

/** How a token changes nesting: brackets, and CASE ... END, which nests the same way. */
function bracketDelta(token: ScanToken): number {
  const text = token.text.toUpperCase();
  if (text === '(' || text === '[' || text === 'CASE') return 1;
  if (text === ')' || text === ']' || text === 'END') return -1;
  return 0;
}

function isName(token: ScanToken): boolean {
  return token.tokenName === 'IDENT' || token.keywordName !== 'NO_KEYWORD';
}

function isTest(node: unknown): boolean {
  return typeof node === 'object' && node !== null && ('NullTest' in node || 'BooleanTest' in node);
}

function locationsIn(node: unknown): number[] {
  const found: number[] = [];
  // An explicit stack: a rejected node may hold a subtree deeper than the call stack allows.
  const pending: unknown[] = [node];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) {
      pending.push(...value);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'location' && typeof child === 'number' && child >= 0) found.push(child);
        else pending.push(child);
      }
    }
  }
  return found;
}
