import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('java-regex-oracle.java', import.meta.url));

/** Every UTF-16 code unit as four hex digits, so lone surrogates and line terminators survive a line. */
const encode = (s: string): string => {
  let out = '';
  for (let i = 0; i < s.length; i++) out += s.charCodeAt(i).toString(16).padStart(4, '0');
  return out;
};

/**
 * Runs java.util.regex (the JDK on PATH, as Spark's `rlike` does: `find` from 0) on each pattern and
 * value; returns one result per pair: true, false, or 'error' when the pattern does not compile.
 */
export function javaFind(
  pairs: ReadonlyArray<readonly [pattern: string, value: string]>,
): Array<boolean | 'error'> {
  if (pairs.length === 0) return [];
  const input = `${pairs.map(([p, v]) => `${encode(p)}\t${encode(v)}`).join('\n')}\n`;
  const out = execFileSync('java', [SOURCE], { input, maxBuffer: 64 * 1024 * 1024 }).toString();
  if (out.length !== pairs.length)
    throw new Error(`the Java oracle answered ${out.length} of ${pairs.length}`);
  return [...out].map((c) => (c === 'E' ? 'error' : c === '1'));
}
