import type { Country } from './countries.ts';
import type { Random } from './random.ts';
import { NAMES } from './vocab.ts';

/** Gender as recorded in the demo data. */
export type Gender = 'female' | 'male' | 'non-binary';

/** A person's name, gender and the naming tradition it comes from. */
export interface Person {
  readonly firstName: string;
  readonly lastName: string;
  readonly gender: Gender;
}

/** Returns a person whose name fits one of the cultures of the country; Spanish and Mexican names often carry two surnames. */
export function person(
  rng: Random,
  country: Country,
  genderShares: readonly (readonly [Gender, number])[],
): Person {
  const culture = rng.pick(country.cultures);
  const pool = NAMES[culture];
  const gender = rng.weighted(genderShares);
  const firsts =
    gender === 'female' ? pool.female : gender === 'male' ? pool.male : rng.pick([pool.female, pool.male]);
  const firstName = rng.pick(firsts);
  let lastName = rng.pick(pool.last);
  if (culture === 'es' && (country.code === 'ES' || country.code === 'MX') && rng.chance(0.6)) {
    const second = rng.pick(pool.last);
    if (second !== lastName) lastName = `${lastName} ${second}`;
  }
  return { firstName, lastName, gender };
}
