// Check-digit algorithms only the demo data needs; the ones discovery also validates live in
// `discovery/check-digits.ts`.
import { weightedSum } from '../discovery/check-digits.ts';

/** Returns the check digit of a Japanese Individual Number (My Number) from its first eleven digits. */
export function myNumberCheckDigit(eleven: string): string {
  return String(((11 - (weightedSum(eleven, [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11)) % 11) % 10);
}

/** Returns the French RIB key of a bank code, branch code and account number (letters allowed). */
export function ribKey(bank: string, branch: string, account: string): string {
  const numeric = account.replace(/[A-Z]/g, (c) =>
    String(((c.charCodeAt(0) - 65 + (c > 'R' ? 1 : 0)) % 9) + 1),
  );
  const rest = (89 * Number(bank) + 15 * Number(branch) + 3 * Number(numeric)) % 97;
  return String(97 - rest).padStart(2, '0');
}

const CCC_WEIGHTS = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
const cccDigit = (ten: string): number => {
  const d = 11 - (weightedSum(ten, CCC_WEIGHTS) % 11);
  return d === 11 ? 0 : d === 10 ? 1 : d;
};

/** Returns the two control digits of a Spanish bank account (CCC) from bank, branch and account numbers. */
export function cccControlDigits(bank: string, branch: string, account: string): string {
  return `${cccDigit(`00${bank}${branch}`)}${cccDigit(account)}`;
}
