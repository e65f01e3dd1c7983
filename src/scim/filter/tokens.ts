/** A token of the filter and path languages, with its offset in the text (for error messages). */
export type Token =
  | { readonly kind: 'word'; readonly text: string; readonly at: number }
  | { readonly kind: 'string'; readonly value: string; readonly at: number }
  | { readonly kind: '(' | ')' | '[' | ']'; readonly at: number }
  | { readonly kind: 'end'; readonly at: number };

const WORD = /[A-Za-z0-9_$:.-]/;

/**
 * Splits filter or path text into tokens; returns the offset of the first character that cannot
 * start a token as an error. Strings are JSON strings (RFC 7644 §3.4.2.2 says so).
 */
export function tokenize(text: string): Token[] | { readonly badAt: number; readonly reason: string } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === '[' || c === ']') {
      tokens.push({ kind: c, at: i });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return { badAt: i, reason: 'the string is not closed' };
      let value: unknown;
      try {
        value = JSON.parse(text.slice(i, j + 1));
      } catch {
        return { badAt: i, reason: 'the string has an invalid escape' };
      }
      tokens.push({ kind: 'string', value: value as string, at: i });
      i = j + 1;
    } else if (WORD.test(c)) {
      let j = i;
      while (j < text.length && WORD.test(text[j]!)) j++;
      tokens.push({ kind: 'word', text: text.slice(i, j), at: i });
      i = j;
    } else {
      return { badAt: i, reason: `${JSON.stringify(c)} is not expected here` };
    }
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}
