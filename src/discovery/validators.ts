// Checksum and range validators for identifiers whose regex alone would accept too many values.
// Each takes the raw value (separators allowed where the scheme prints them) and returns whether it
// is a well-formed, checksum-valid instance of the scheme.
import { isIPv6 } from 'node:net';
import {
  cpfCheckDigits,
  curpCheckDigit,
  dniLetter,
  ibanRemainder,
  isLuhnValid,
  isVerhoeffValid,
  mod11_10CheckDigit,
  mod97,
  weightedSum,
} from './check-digits.ts';

const compact = (value: string): string => value.replace(/[ .\-/]/g, '');

/**
 * Luhn (mod 10) check over a digit string, spaces and hyphens ignored.
 * Source: ISO/IEC 7812-1 Annex B.
 */
export function isLuhn(value: string): boolean {
  return isLuhnValid(compact(value));
}

/**
 * Payment card number: 12 to 19 digits, issuer prefix 2-6 (Mastercard 2-series, Amex/Diners/JCB 3,
 * Visa 4, Mastercard 5, Discover/UnionPay 6), passing Luhn. Source: ISO/IEC 7812-1.
 */
export function isCreditCardNumber(value: string): boolean {
  const digits = compact(value);
  return /^[2-6][0-9]{11,18}$/.test(digits) && isLuhnValid(digits);
}

/**
 * Canadian Social Insurance Number: 9 digits passing Luhn; first digit not 0 (unassigned) or 8
 * (business numbers). Source: Employment and Social Development Canada, SIN validation rules.
 */
export function isCanadianSin(value: string): boolean {
  const digits = compact(value);
  return /^[1-79][0-9]{8}$/.test(digits) && isLuhnValid(digits);
}

// biome-ignore format: a table reads better packed
/** IBAN lengths of common countries (SWIFT IBAN Registry); other countries need 15 to 34 characters. */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AT: 20, BE: 16, BG: 22, BR: 29, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20, ES: 24,
  FI: 18, FR: 27, GB: 22, GR: 27, HR: 21, HU: 28, IE: 22, IS: 26, IT: 27, LI: 21, LT: 20, LU: 20,
  LV: 21, MC: 27, MT: 31, NL: 18, NO: 15, PL: 28, PT: 25, RO: 24, SA: 24, SE: 24, SI: 19, SK: 24,
  SM: 27, TR: 26, AE: 23, IL: 23, QA: 29,
};

/**
 * IBAN: country code, two check digits and BBAN, spaces ignored; the length must match the country
 * (for the countries in {@link IBAN_LENGTHS}) and the number must be 1 modulo 97 after moving the
 * first four characters to the end. Source: ISO 13616-1, ISO 7064 MOD 97-10.
 */
export function isIban(value: string): boolean {
  const iban = value.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const expected = IBAN_LENGTHS[iban.slice(0, 2)];
  if (expected !== undefined && iban.length !== expected) return false;
  return ibanRemainder(iban) === 1;
}

/**
 * Belgian national register number (YY.MM.DD-SSS.CC): CC = 97 - (first nine digits mod 97); for
 * people born from 2000 the digit 2 is prefixed before taking the modulus. Source: Belgian National
 * Register, "Numéro de registre national" structure (Arrêté royal du 3 avril 1984).
 */
export function isBelgianNationalNumber(value: string): boolean {
  const digits = compact(value);
  if (!/^[0-9]{11}$/.test(digits)) return false;
  const check = Number(digits.slice(9));
  const nine = digits.slice(0, 9);
  return 97 - mod97(nine) === check || 97 - mod97(`2${nine}`) === check;
}

/**
 * French NIR (numéro de sécurité sociale): 13 characters and a two-digit key = 97 - (number mod 97);
 * Corsican departments 2A and 2B count as 19 and 18. First digit 1, 2 (or 3, 4, 7, 8 for temporary
 * numbers). Source: INSEE, "Le numéro d'inscription au répertoire" and Code de la sécurité sociale.
 */
export function isFrenchNir(value: string): boolean {
  const nir = value.replace(/ /g, '').toUpperCase();
  if (!/^[1-478][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{8}$/.test(nir)) return false;
  const body = nir.slice(0, 13).replace('2A', '19').replace('2B', '18');
  return 97 - mod97(body) === Number(nir.slice(13));
}

/**
 * Indian Aadhaar: 12 digits, first digit 2-9, last digit a Verhoeff check digit. Source: UIDAI,
 * "Aadhaar Numbering Scheme"; Verhoeff (1969).
 */
export function isAadhaar(value: string): boolean {
  const digits = compact(value);
  return /^[2-9][0-9]{11}$/.test(digits) && isVerhoeffValid(digits);
}

/**
 * Brazilian CPF: 11 digits whose last two are mod-11 check digits (weights 10..2 then 11..2); numbers
 * made of one repeated digit are invalid. Source: Receita Federal, Instrução Normativa RFB 1548/2015.
 */
export function isBrazilianCpf(value: string): boolean {
  const digits = compact(value);
  if (!/^[0-9]{11}$/.test(digits) || /^([0-9])\1{10}$/.test(digits)) return false;
  return cpfCheckDigits(digits.slice(0, 9)) === digits.slice(9);
}

/**
 * Mexican CURP: 18 characters; the last is (10 - sum(value(c_i) x (18 - i)) mod 10) mod 10 over the
 * first 17 with the alphabet 0-9, A-N, Ñ(&), O-Z. Source: RENAPO, Instructivo normativo para la
 * asignación de la CURP.
 */
export function isMexicanCurp(value: string): boolean {
  const curp = value.toUpperCase();
  if (!/^[A-Z]{4}[0-9]{6}[HMX][A-Z]{5}[0-9A-Z][0-9]$/.test(curp)) return false;
  return curpCheckDigit(curp.slice(0, 17)) === curp.slice(17);
}

/**
 * Spanish DNI (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter, X=0 Y=1 Z=2): the letter is
 * "TRWAGMYFPDXBNJZSQVHLCKE"[number mod 23]. Source: Ministerio del Interior, Real Decreto 1553/2005.
 */
export function isSpanishDniNie(value: string): boolean {
  const id = value.replace(/[ -]/g, '').toUpperCase();
  const match = /^([XYZ]?)([0-9]{7,8})([A-Z])$/.exec(id);
  if (!match) return false;
  const [, prefix = '', digits = '', letter] = match;
  if (prefix.length + digits.length !== 8) return false;
  const number = prefix === '' ? digits : String('XYZ'.indexOf(prefix)) + digits;
  return dniLetter(number) === letter;
}

const CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
const cfValue = (c: string): number => (c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 65);

/**
 * Italian codice fiscale: 16 characters; the last is a letter A-Z = (sum of odd-position values from
 * the odd table + even-position values) mod 26. Omocodic variants (digits replaced by LMNPQRSTUV)
 * are accepted. Source: Decreto Ministeriale 23 dicembre 1976, Allegato.
 */
export function isItalianCodiceFiscale(value: string): boolean {
  const cf = value.toUpperCase();
  const d = '[0-9LMNPQRSTUV]';
  const shape = new RegExp(`^[A-Z]{6}${d}{2}[ABCDEHLMPRST]${d}{2}[A-Z]${d}{3}[A-Z]$`);
  if (!shape.test(cf)) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const v = cfValue(cf[i]!);
    sum += i % 2 === 0 ? CF_ODD[v]! : v;
  }
  return String.fromCharCode(65 + (sum % 26)) === cf[15];
}

/**
 * German tax identification number (Steuer-ID): 11 digits, first not 0; in the first ten digits
 * exactly one digit appears twice or three times (three times never in consecutive positions) and
 * the others at most once; the last digit is the ISO 7064 MOD 11,10 check digit. Source:
 * Bundeszentralamt für Steuern, Abgabenordnung §139b; ISO 7064.
 */
export function isGermanTaxId(value: string): boolean {
  const digits = value.replace(/[ /]/g, '');
  if (!/^[1-9][0-9]{10}$/.test(digits)) return false;
  const ten = digits.slice(0, 10);
  const counts = new Uint8Array(10);
  for (let i = 0; i < 10; i++) counts[ten.charCodeAt(i) - 48]!++;
  let repeatedDigits = 0;
  let times = 0;
  for (const n of counts) {
    if (n > 1) {
      repeatedDigits++;
      times = n;
    }
  }
  if (repeatedDigits !== 1 || times > 3) return false;
  if (times === 3) {
    for (let i = 0; i + 2 < 10; i++) if (ten[i] === ten[i + 1] && ten[i] === ten[i + 2]) return false;
  }
  return mod11_10CheckDigit(ten) === digits[10];
}

/**
 * Australian Tax File Number: 9 digits with weights 1,4,3,7,5,8,6,9,10 (or 8 legacy digits with
 * weights 10,7,8,4,6,3,5,1) and a weighted sum divisible by 11. Source: Australian Taxation Office
 * TFN algorithm, as published in the ATO developer documentation.
 */
export function isAustralianTfn(value: string): boolean {
  const digits = compact(value);
  if (/^[0-9]{9}$/.test(digits)) return weightedSum(digits, [1, 4, 3, 7, 5, 8, 6, 9, 10]) % 11 === 0;
  if (/^[0-9]{8}$/.test(digits)) return weightedSum(digits, [10, 7, 8, 4, 6, 3, 5, 1]) % 11 === 0;
  return false;
}

/**
 * Australian Medicare card number: 10 digits (11 with the individual reference number); first digit
 * 2-6; the ninth digit is the weighted sum (1,3,7,9,1,3,7,9) of the first eight mod 10; the issue
 * number (tenth) and reference number are 1-9. Source: Services Australia, Medicare card number
 * check digit (Healthcare Identifiers / PBS developer guides).
 */
export function isAustralianMedicare(value: string): boolean {
  const digits = compact(value);
  if (!/^[2-6][0-9]{7}[0-9][1-9][1-9]?$/.test(digits)) return false;
  return weightedSum(digits, [1, 3, 7, 9, 1, 3, 7, 9]) % 10 === Number(digits[8]);
}

const NINO_BAD_PREFIXES = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/**
 * UK National Insurance number: two prefix letters, six digits, suffix A-D; the first letter is not
 * D, F, I, Q, U or V, the second not D, F, I, O, Q, U or V, and the prefixes BG, GB, KN, NK, NT, TN
 * and ZZ are never allocated. Source: HMRC National Insurance Manual NIM39110.
 */
export function isUkNino(value: string): boolean {
  const nino = value.replace(/ /g, '').toUpperCase();
  if (!/^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]$/.test(nino)) return false;
  return !NINO_BAD_PREFIXES.has(nino.slice(0, 2));
}

/**
 * US Social Security number: area 001-899 except 666, group 01-99, serial 0001-9999; the
 * advertising number 078-05-1120 is excluded. Source: Social Security Administration, "Social
 * Security Number Randomization" (2011) and POMS RM 10201.
 */
export function isUsSsn(value: string): boolean {
  const digits = value.replace(/[ -]/g, '');
  if (!/^[0-9]{9}$/.test(digits)) return false;
  const area = digits.slice(0, 3);
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (digits.slice(3, 5) === '00' || digits.slice(5) === '0000') return false;
  return digits !== '078051120';
}

/**
 * Argentine DNI: 7 or 8 digits (dots allowed as thousands separators) in the range 1,000,000 to
 * 99,999,999. Source: RENAPER, Ley 17.671 (numbers above 90,000,000 are issued to foreign residents).
 */
export function isArgentineDni(value: string): boolean {
  const digits = value.replace(/\./g, '');
  if (!/^[0-9]{7,8}$/.test(digits)) return false;
  const n = Number(digits);
  return n >= 1_000_000 && n <= 99_999_999;
}

/**
 * IPv6 address in any RFC 4291 text form, including :: compression and an embedded IPv4 tail.
 * Source: RFC 4291 §2.2, RFC 5952; delegates to Node's `net.isIPv6`.
 */
export function isIpv6(value: string): boolean {
  return isIPv6(value);
}

/** The validators an identifier may name, keyed by name. */
export const VALIDATORS = {
  luhn: isLuhn,
  creditCard: isCreditCardNumber,
  canadianSin: isCanadianSin,
  iban: isIban,
  belgianNationalNumber: isBelgianNationalNumber,
  frenchNir: isFrenchNir,
  aadhaar: isAadhaar,
  brazilianCpf: isBrazilianCpf,
  mexicanCurp: isMexicanCurp,
  spanishDniNie: isSpanishDniNie,
  italianCodiceFiscale: isItalianCodiceFiscale,
  germanTaxId: isGermanTaxId,
  australianTfn: isAustralianTfn,
  australianMedicare: isAustralianMedicare,
  ukNino: isUkNino,
  usSsn: isUsSsn,
  argentineDni: isArgentineDni,
  ipv6: isIpv6,
} as const satisfies Readonly<Record<string, (value: string) => boolean>>;

/** The name of a validator in {@link VALIDATORS}. */
export type ValidatorName = keyof typeof VALIDATORS;
