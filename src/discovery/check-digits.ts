// Check-digit algorithms shared by the discovery validators and the demo data generator. Inputs are
// strings of digits (letters only where a scheme allows them); separators must be stripped by the caller.

/** Returns the numeric value of the digit at index `i`. */
export const digitAt = (s: string, i: number): number => s.charCodeAt(i) - 48;

/** Returns the Luhn (mod 10) check digit to append to `payload`. */
export function luhnCheckDigit(payload: string): string {
  let sum = 0;
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digitAt(payload, i);
    if (double) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Returns whether a digit string (check digit last) passes the Luhn check. */
export function isLuhnValid(number: string): boolean {
  return /^\d{2,}$/.test(number) && luhnCheckDigit(number.slice(0, -1)) === number.slice(-1);
}

/** Returns a digit string of any length modulo 97, as in ISO 7064 MOD 97-10. */
export function mod97(digits: string): number {
  let rest = 0;
  for (let i = 0; i < digits.length; i++) rest = (rest * 10 + digitAt(digits, i)) % 97;
  return rest;
}

/**
 * Returns an IBAN (upper case, no spaces) modulo 97 after moving its first four characters to the end
 * and reading each letter as two digits (A = 10 ... Z = 35), without building the digit string.
 */
export function ibanRemainder(iban: string): number {
  let rest = 0;
  for (let k = 0; k < iban.length; k++) {
    const code = iban.charCodeAt((k + 4) % iban.length);
    rest = code >= 65 ? (rest * 100 + code - 55) % 97 : (rest * 10 + code - 48) % 97;
  }
  return rest;
}

/** Replaces each letter by its IBAN value (A = 10 ... Z = 35). */
export const lettersToDigits = (s: string): string =>
  s.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));

/** Returns the two IBAN check digits for a country code and BBAN (ISO 13616). */
export function ibanCheckDigits(country: string, bban: string): string {
  const rest = mod97(lettersToDigits(`${bban}${country}00`));
  return String(98 - rest).padStart(2, '0');
}

/** Returns the ISO 7064 MOD 11,10 check digit (German tax ID). */
export function mod11_10CheckDigit(payload: string): string {
  let product = 10;
  for (let i = 0; i < payload.length; i++) {
    let sum = (digitAt(payload, i) + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  return String((11 - product) % 10);
}

const VERHOEFF_D = [
  '0123456789',
  '1234067895',
  '2340178956',
  '3401289567',
  '4012395678',
  '5987604321',
  '6598710432',
  '7659821043',
  '8765932104',
  '9876543210',
];
const VERHOEFF_P = [
  '0123456789',
  '1576283094',
  '5803796142',
  '8916043527',
  '9453126870',
  '4286573901',
  '2793806415',
  '7046913258',
];
const VERHOEFF_INV = '0432156789';

const verhoeffState = (number: string, offset: number): number => {
  let c = 0;
  for (let i = 0; i < number.length; i++) {
    const p = VERHOEFF_P[(i + offset) % 8]!;
    c = digitAt(VERHOEFF_D[c]!, digitAt(p, digitAt(number, number.length - 1 - i)));
  }
  return c;
};

/** Returns the Verhoeff check digit to append to `payload` (Aadhaar). */
export function verhoeffCheckDigit(payload: string): string {
  return VERHOEFF_INV[verhoeffState(payload, 1)]!;
}

/** Returns whether a digit string (check digit last) passes the Verhoeff check. */
export function isVerhoeffValid(number: string): boolean {
  return /^\d+$/.test(number) && verhoeffState(number, 0) === 0;
}

/** Returns the sum of each digit times its weight. */
export function weightedSum(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += digitAt(digits, i) * weights[i]!;
  return sum;
}

/** Returns the two check digits of a Brazilian CPF from its first nine digits. */
export function cpfCheckDigits(nine: string): string {
  const first = ((weightedSum(nine, [10, 9, 8, 7, 6, 5, 4, 3, 2]) * 10) % 11) % 10;
  const ten = nine + String(first);
  const second = ((weightedSum(ten, [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]) * 10) % 11) % 10;
  return `${first}${second}`;
}

/** Returns the control letter of a Spanish DNI from its eight digits. */
export function dniLetter(eight: string): string {
  return 'TRWAGMYFPDXBNJZSQVHLCKE'[Number(eight) % 23]!;
}

/** Returns the two-digit key of a French NIR (social security number) from its first thirteen digits. */
export function nirKey(thirteen: string): string {
  return String(97 - mod97(thirteen)).padStart(2, '0');
}

const CURP_ALPHABET = '0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ';

/** Returns the check digit of a Mexican CURP from its first seventeen characters. */
export function curpCheckDigit(seventeen: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CURP_ALPHABET.indexOf(seventeen[i]!) * (18 - i);
  return String((10 - (sum % 10)) % 10);
}
