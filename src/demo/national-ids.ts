import {
  cpfCheckDigits,
  curpCheckDigit,
  dniLetter,
  luhnCheckDigit,
  mod11_10CheckDigit,
  nirKey,
  verhoeffCheckDigit,
  weightedSum,
} from '../discovery/check-digits.ts';
import { myNumberCheckDigit } from './checksums.ts';
import type { City, CountryCode } from './countries.ts';
import type { Random } from './random.ts';

/** What a national identifier may encode about its holder. */
export interface IdHolder {
  readonly firstName: string;
  readonly lastName: string;
  readonly gender: 'female' | 'male' | 'non-binary';
  /** `YYYY-MM-DD`. */
  readonly birthDate: string;
  readonly city: City;
}

/** Returns a US Social Security number `###-##-####` outside the never-issued ranges (000, 666, 9xx; 00; 0000). */
export function usSsn(rng: Random): string {
  let area = rng.int(1, 898);
  if (area >= 666) area += 1;
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return `${pad(area, 3)}-${pad(rng.int(1, 99), 2)}-${pad(rng.int(1, 9999), 4)}`;
}

const SIN_FIRST_DIGIT: Readonly<Record<string, readonly string[]>> = {
  QC: ['2', '3'],
  ON: ['4', '5'],
  AB: ['6'],
  BC: ['7'],
};

const NINO_FIRST = 'ABCEGHJKLMNOPRSTWXYZ';
const NINO_SECOND = 'ABCEGHJKLMNPRSTWXYZ';
const NINO_UNUSED = ['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'];

const CURP_BLOCKED = new Set(
  (
    'BACA BAKA BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE COJI COJO COLA CULO FALO FETO GETA ' +
    'GUEI GUEY JETA JOTO KACA KACO KAGA KAGO KAKA KAKO KOGE KOGI KOJA KOJE KOJI KOJO KOLA KULO LILO LOCA LOCO ' +
    'LOKA LOKO MAME MAMO MEAR MEAS MEON MIAR MION MOCO MOKO MULA MULO NACA NACO PEDA PEDO PENE PIPI PITO POPO ' +
    'PUTA PUTO QULO RATA ROBA ROBE ROBO RUIN SENO TETA VACA VAGA VAGO VAKA VUEI VUEY WUEI WUEY'
  ).split(' '),
);
const CURP_STATES = ['DF', 'JC', 'NL', 'MC', 'PL', 'VZ', 'GT', 'CH', 'BC', 'YN'];

/** Upper-cases and strips diacritics and anything but letters and spaces. */
const fold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z ]/g, '');

const firstInner = (word: string, test: RegExp): string => word.slice(1).match(test)?.[0] ?? 'X';

const curp = (rng: Random, h: IdHolder): string => {
  const [paternal = 'X', maternal = 'X'] = fold(h.lastName).split(' ');
  const given = fold(h.firstName).split(' ')[0] ?? 'X';
  let head = `${paternal[0]}${firstInner(paternal, /[AEIOU]/)}${maternal[0]}${given[0]}`;
  if (CURP_BLOCKED.has(head)) head = `${head[0]}X${head.slice(2)}`;
  const [year = '', month = '', day = ''] = h.birthDate.split('-');
  const sex = h.gender === 'female' ? 'M' : h.gender === 'male' ? 'H' : rng.pick(['H', 'M']);
  const state = rng.chance(0.7) ? h.city.state : rng.pick(CURP_STATES);
  const consonants = [paternal, maternal, given].map((w) => firstInner(w, /[B-DF-HJ-NP-TV-Z]/)).join('');
  const homonym = Number(year) < 2000 ? String(rng.int(0, 9)) : String.fromCharCode(65 + rng.int(0, 25));
  const body = `${head}${year.slice(2)}${month}${day}${sex}${state}${consonants}${homonym}`;
  return body + curpCheckDigit(body);
};

const withCheck = (rng: Random, length: number, check: (payload: string) => string | undefined): string => {
  for (;;) {
    const payload = String(rng.int(1, 9)) + rng.digits(length - 1);
    const digit = check(payload);
    if (digit !== undefined) return payload + digit;
  }
};

const group = (s: string, sizes: readonly number[], sep = ' '): string => {
  const parts: string[] = [];
  let at = 0;
  for (const size of sizes) {
    parts.push(s.slice(at, at + size));
    at += size;
  }
  return parts.join(sep);
};

const steuerId = (rng: Random): string => {
  // Ten digits where exactly one digit appears twice and the rest at most once, not starting with 0.
  const distinct = rng.shuffle(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']).slice(0, 9);
  let digits = rng.shuffle([...distinct, rng.pick(distinct)]);
  if (digits[0] === '0') digits = [...digits.slice(1), '0'];
  const payload = digits.join('');
  return payload + mod11_10CheckDigit(payload);
};

const generators: Readonly<Record<CountryCode, (rng: Random, h: IdHolder) => string>> = {
  US: (rng) => usSsn(rng),
  CA: (rng, h) => {
    const payload = rng.pick(SIN_FIRST_DIGIT[h.city.state] ?? ['1']) + rng.digits(7);
    return group(payload + luhnCheckDigit(payload), [3, 3, 3]);
  },
  GB: (rng) => {
    let prefix = '';
    do prefix = rng.pick([...NINO_FIRST]) + rng.pick([...NINO_SECOND]);
    while (NINO_UNUSED.includes(prefix));
    const digits = rng.digits(6);
    const suffix = rng.pick(['A', 'B', 'C', 'D']);
    return rng.chance(0.5)
      ? `${prefix} ${group(digits, [2, 2, 2])} ${suffix}`
      : `${prefix}${digits}${suffix}`;
  },
  DE: (rng) => {
    const id = steuerId(rng);
    return rng.chance(0.5) ? group(id, [2, 3, 3, 3]) : id;
  },
  FR: (rng, h) => {
    const sex = h.gender === 'female' ? '2' : h.gender === 'male' ? '1' : rng.pick(['1', '2']);
    // Corsica (20) is coded 2A/2B; mainland departments only.
    const code = rng.int(1, 94);
    const department = String(code >= 20 ? code + 1 : code).padStart(2, '0');
    const pad3 = (): string => String(rng.int(1, 999)).padStart(3, '0');
    const thirteen = `${sex}${h.birthDate.slice(2, 4)}${h.birthDate.slice(5, 7)}${department}${pad3()}${pad3()}`;
    return group(thirteen + nirKey(thirteen), [1, 2, 2, 2, 3, 3, 2]);
  },
  ES: (rng) => {
    const eight = rng.digits(8);
    return `${eight}${rng.chance(0.3) ? '-' : ''}${dniLetter(eight)}`;
  },
  NL: (rng) =>
    withCheck(rng, 8, (p) => {
      const rest = weightedSum(p, [9, 8, 7, 6, 5, 4, 3, 2]) % 11;
      return rest === 10 ? undefined : String(rest);
    }),
  AU: (rng) => {
    const tfn = withCheck(rng, 8, (p) => {
      const rest = weightedSum(p, [1, 4, 3, 7, 5, 8, 6, 9]) % 11;
      return rest === 10 ? undefined : String(rest);
    });
    return group(tfn, [3, 3, 3]);
  },
  IN: (rng) => {
    const payload = String(rng.int(2, 9)) + rng.digits(10);
    return group(payload + verhoeffCheckDigit(payload), [4, 4, 4]);
  },
  JP: (rng) => {
    const payload = rng.digits(11);
    return group(payload + myNumberCheckDigit(payload), [4, 4, 4]);
  },
  BR: (rng) => {
    const cpf = withCheck(rng, 9, cpfCheckDigits);
    return `${group(cpf.slice(0, 9), [3, 3, 3], '.')}-${cpf.slice(9)}`;
  },
  MX: curp,
};

/** Returns the national identifier (SSN, SIN, NINO, CPF...) a resident of the holder's country would give. */
export function nationalId(rng: Random, holder: IdHolder): string {
  return generators[holder.city.country](rng, holder);
}
