import { type City, COUNTRIES } from './countries.ts';
import type { Random } from './random.ts';
import { MAIL_DOMAINS, STREETS, type StreetStyle } from './vocab.ts';

/** Fills a template: `#` any digit, `%` a digit 2-9, `@` one of `letters`; other characters are kept. */
export function fillTemplate(rng: Random, template: string, letters: string): string {
  let out = '';
  for (const ch of template) {
    if (ch === '#') out += String(rng.int(0, 9));
    else if (ch === '%') out += String(rng.int(2, 9));
    else if (ch === '@') out += letters[rng.int(0, letters.length - 1)];
    else out += ch;
  }
  return out;
}

/** How a phone number is written: `+14155550123`, `+1 415 555-0123` or `(415) 555-0123`. */
export type PhoneStyle = 'e164' | 'international' | 'national';

/** Returns a landline of the city or a mobile of its country, written in the given style. */
export function phoneNumber(rng: Random, city: City, style: PhoneStyle): string {
  const country = COUNTRIES[city.country];
  const useMobile = country.mobile.length > 0 && rng.chance(0.55);
  const national = fillTemplate(rng, rng.pick(useMobile ? country.mobile : city.phone), '');
  if (style === 'national') return national;
  const withoutTrunk = (s: string): string =>
    country.trunk && s.startsWith(country.trunk) ? s.slice(country.trunk.length) : s;
  if (style === 'e164') return `+${country.dial}${withoutTrunk(national.replace(/\D/g, ''))}`;
  return `+${country.dial} ${withoutTrunk(national.replace(/[()]/g, ''))}`;
}

/** Returns a postal code in the city's range, in its country's format. */
export function postalCode(rng: Random, city: City): string {
  const country = COUNTRIES[city.country];
  const code = fillTemplate(rng, rng.pick(city.postal), country.postalLetters);
  return country.postalExtension && rng.chance(0.15)
    ? code + fillTemplate(rng, country.postalExtension, '')
    : code;
}

const streetWriters: Readonly<Record<StreetStyle, (rng: Random, name: string, type: string) => string>> = {
  en: (rng, name, type) =>
    `${rng.int(1, 9999)} ${name} ${type}${rng.chance(0.15) ? `, Apt ${rng.int(1, 40)}` : ''}`,
  de: (rng, name, type) => `${name}${type} ${rng.int(1, 180)}`,
  nl: (rng, name, type) => `${name}${type} ${rng.int(1, 400)}`,
  fr: (rng, name, type) => `${rng.int(1, 200)} ${type} ${name}`,
  es: (rng, name, type) => `${type} ${name}, ${rng.int(1, 250)}`,
  pt: (rng, name, type) => `${type} ${name}, ${rng.int(1, 3000)}`,
  in: (rng, name, type) => `${rng.int(1, 999)}, ${name} ${type}`,
  jp: (rng, name) => `${rng.int(1, 9)}-${rng.int(1, 30)}-${rng.int(1, 20)} ${name}`,
};

/** Returns a street address written the way the city's country writes them. */
export function streetAddress(rng: Random, city: City): string {
  const style = COUNTRIES[city.country].street;
  const { names, types } = STREETS[style];
  return streetWriters[style](rng, rng.pick(names), rng.pick(types));
}

/** Lower-case ASCII letters of a name: diacritics dropped, spaces and apostrophes removed. */
export function asciiName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** Returns a personal email derived from the name, on a global or local free-mail domain, not in `taken`. */
export function personalEmail(
  rng: Random,
  first: string,
  last: string,
  localDomains: readonly string[],
  taken: Set<string>,
): string {
  const f = asciiName(first);
  const l = asciiName(last);
  const local = rng.weighted<string>([
    [`${f}.${l}`, 5],
    [`${f}${l}`, 2],
    [`${f[0]}${l}`, 2],
    [`${f}_${l}`, 1],
    [`${l}.${f}`, 1],
    [`${f}.${l}${rng.int(1, 99)}`, 2],
    [`${f}${rng.int(70, 99)}`, 1],
  ]);
  const domain = rng.chance(0.7) ? rng.pick(MAIL_DOMAINS) : rng.pick(localDomains);
  return uniqueEmail(local, domain, taken);
}

/** Returns `local@domain`, or with a number after `local` when that address is in `taken`; records it there. */
export function uniqueEmail(local: string, domain: string, taken: Set<string>): string {
  let address = `${local}@${domain}`;
  for (let n = 2; taken.has(address); n++) address = `${local}${n}@${domain}`;
  taken.add(address);
  return address;
}
