import { ibanCheckDigits, luhnCheckDigit } from '../discovery/check-digits.ts';
import { cccControlDigits, ribKey } from './checksums.ts';
import type { CountryCode } from './countries.ts';
import type { Random } from './random.ts';

/** Card networks in the demo data. */
export type CardBrand = 'visa' | 'mastercard' | 'amex';

/** Returns a card number with a real issuer prefix and a valid Luhn digit (15 digits for Amex, else 16). */
export function cardNumber(rng: Random, brand: CardBrand): string {
  let payload: string;
  if (brand === 'visa') payload = `4${rng.digits(14)}`;
  else if (brand === 'amex') payload = `3${rng.pick(['4', '7'])}${rng.digits(12)}`;
  else if (rng.chance(0.8)) payload = `5${rng.int(1, 5)}${rng.digits(13)}`;
  else payload = `${rng.int(2221, 2720)}${rng.digits(11)}`;
  return payload + luhnCheckDigit(payload);
}

/** Returns 16 digits whose last digit is deliberately not the Luhn digit: looks like a card, is not one. */
export function nonLuhnDigits(rng: Random): string {
  const payload = rng.digits(15);
  return payload + String((Number(luhnCheckDigit(payload)) + rng.int(1, 9)) % 10);
}

/** Countries whose customers may pay by bank transfer from an IBAN. */
export type IbanCountry = Extract<CountryCode, 'DE' | 'FR' | 'GB' | 'NL' | 'ES'>;

const bbanWriters: Readonly<Record<IbanCountry, (rng: Random) => string>> = {
  DE: (rng) => rng.pick(['37040044', '10070000', '50010517', '20050550', '70150000']) + rng.digits(10),
  FR: (rng) => {
    const bank = rng.pick(['30004', '30003', '20041', '10278']);
    const branch = rng.digits(5);
    const account = rng.digits(11);
    return bank + branch + account + ribKey(bank, branch, account);
  },
  GB: (rng) => {
    const [bank, sort] = rng.pick([
      ['NWBK', '60'],
      ['BARC', '20'],
      ['HBUK', '40'],
      ['LOYD', '30'],
      ['MIDL', '40'],
    ] as const);
    return bank + sort + rng.digits(4) + rng.digits(8);
  },
  NL: (rng) => rng.pick(['ABNA', 'INGB', 'RABO', 'SNSB', 'TRIO']) + rng.digits(10),
  ES: (rng) => {
    const bank = rng.pick(['2100', '0049', '0182', '0081']);
    const branch = rng.digits(4);
    const account = rng.digits(10);
    return bank + branch + cccControlDigits(bank, branch, account) + account;
  },
};

/** Returns an IBAN of the country with valid national and mod-97 check digits, sometimes in groups of four. */
export function iban(rng: Random, country: IbanCountry): string {
  const bban = bbanWriters[country](rng);
  const compact = country + ibanCheckDigits(country, bban) + bban;
  return rng.chance(0.3) ? (compact.match(/.{1,4}/g) ?? []).join(' ') : compact;
}

/** First octets of large public allocations, so no address is private, loopback or multicast. */
const PUBLIC_FIRST_OCTETS = [
  23, 31, 45, 52, 63, 66, 71, 73, 76, 81, 84, 86, 89, 91, 94, 98, 104, 108, 122, 151, 176, 181, 185, 187, 189,
  201,
];

/** Returns a public IPv4 address in dotted-quad notation. */
export function ipv4(rng: Random): string {
  return `${rng.pick(PUBLIC_FIRST_OCTETS)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}
