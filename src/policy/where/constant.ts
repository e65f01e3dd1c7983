import type { A_Const, Node } from 'libpg-query';
import { literal, type RowExpr } from '../row-expr.ts';
import type { TranslateContext } from './context.ts';

/**
 * Translates a constant: strings, booleans and NULL as they are; numbers as JS numbers only when the
 * number is exactly the one written (so `0.1` and `3000000000` pass, `12345678901234567891` does not).
 */
export function translateConstant(node: Node, constant: A_Const, ctx: TranslateContext): RowExpr {
  if (constant.isnull) return literal(null);
  if (constant.ival !== undefined) return literal(constant.ival.ival ?? 0);
  if (constant.boolval !== undefined) return literal(constant.boolval.boolval ?? false);
  if (constant.sval !== undefined) return literal(constant.sval.sval ?? '');
  if (constant.fval !== undefined) {
    const n = exactNumber(constant.fval.fval ?? '');
    if (n === undefined) {
      ctx.reject(
        node,
        'is a number that cannot be represented exactly; use fewer significant digits, or write it as a string cast to numeric',
      );
    }
    return literal(n);
  }
  return ctx.reject(node, 'is a kind of constant that is not allowed (bit strings are not)');
}

/** Returns the finite JS number exactly equal to the SQL numeric literal, or undefined if there is none. */
export function exactNumber(text: string): number | undefined {
  const plain = text.replaceAll('_', '');
  const negative = plain.startsWith('-');
  const unsigned = negative ? plain.slice(1) : plain;
  if (/^0[xob]/i.test(unsigned)) {
    const big = BigInt(unsigned);
    const n = Number(big);
    return BigInt(n) === big ? (negative ? -n : n) : undefined;
  }
  const n = Number(plain);
  if (!Number.isFinite(n)) return undefined;
  const written = decimalKey(unsigned);
  return written !== undefined && written === decimalKey(String(Math.abs(n))) ? n : undefined;
}

/** A canonical form of an unsigned decimal (`1.50`, `15e-1` and `1.5` share one), undefined if not one. */
function decimalKey(text: string): string | undefined {
  const m = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (m === null) return undefined;
  const fraction = m[2] ?? '';
  let digits = (m[1] ?? '') + fraction;
  let exponent = Number(m[3] ?? '0') - fraction.length;
  digits = digits.replace(/^0+/, '');
  if (digits === '') return '0';
  const trimmed = digits.replace(/0+$/, '');
  exponent += digits.length - trimmed.length;
  return `${trimmed}e${exponent}`;
}
