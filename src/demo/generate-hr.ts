import { asciiName, personalEmail, phoneNumber, uniqueEmail } from './contact.ts';
import { CITIES, type City, COUNTRIES, type Region } from './countries.ts';
import { usSsn } from './national-ids.ts';
import { type Gender, person } from './people.ts';
import type { Random } from './random.ts';
import type { DepartmentRow, EmployeeRow } from './rows.ts';
import { birthDate, DAY, instantBetween, isoDate } from './time.ts';
import { COMPANY_DOMAIN, DEPARTMENTS, type DepartmentSpec } from './vocab.ts';

const cityNamed = (name: string): City => {
  const found = CITIES.find((c) => c.name === name);
  if (!found) throw new Error(`no demo city named ${name}`);
  return found;
};

/** Office cities per region, with the share of the region's staff working there. */
const OFFICES: Readonly<Record<Region, readonly (readonly [City, number])[]>> = {
  NA: [
    [cityNamed('New York'), 6],
    [cityNamed('San Francisco'), 3],
    [cityNamed('Toronto'), 2],
  ],
  EMEA: [
    [cityNamed('London'), 5],
    [cityNamed('Berlin'), 3],
    [cityNamed('Amsterdam'), 2],
  ],
  APAC: [
    [cityNamed('Bengaluru'), 6],
    [cityNamed('Sydney'), 3],
    [cityNamed('Tokyo'), 2],
  ],
  LATAM: [
    [cityNamed('São Paulo'), 6],
    [cityNamed('Ciudad de México'), 4],
  ],
};
const REGIONS: readonly (readonly [Region, number])[] = [
  ['NA', 40],
  ['EMEA', 25],
  ['APAC', 20],
  ['LATAM', 15],
];
const PAY_LEVEL: Readonly<Record<Region, number>> = { NA: 1, EMEA: 0.85, APAC: 0.55, LATAM: 0.5 };
const EMPLOYEE_GENDERS: readonly (readonly [Gender, number])[] = [
  ['female', 48],
  ['male', 48],
  ['non-binary', 4],
];
const FOUNDED = Date.UTC(2014, 2, 3);
const LAST_HIRE = Date.UTC(2026, 1, 27);

/** Returns the twelve departments, each with its home region and a cost center code. */
export function generateDepartments(): DepartmentRow[] {
  return DEPARTMENTS.map((d, i) => ({
    id: i + 1,
    name: d.name,
    region: d.region,
    cost_center: `CC-${1010 + i * 10}`,
  }));
}

interface Seat {
  readonly department: number;
  readonly title: string;
  readonly level: 'ceo' | 'head' | 'manager' | 'staff';
}

const seatsOf = (d: DepartmentSpec, department: number): Seat[][] => {
  const managers = d.size <= 8 ? 1 : Math.ceil((d.size - 1) / 9);
  const head: Seat = { department, title: d.head, level: department === 1 ? 'ceo' : 'head' };
  const manager: Seat = { department, title: d.manager, level: 'manager' };
  const staff = (title: string): Seat => ({ department, title, level: 'staff' });
  return [
    [head],
    Array(managers).fill(manager),
    Array.from({ length: d.size - 1 - managers }, (_, i) => staff(d.staff[i % d.staff.length]!)),
  ];
};

const SALARY_FACTOR: Readonly<Record<Seat['level'], readonly [number, number]>> = {
  ceo: [480, 520],
  head: [200, 260],
  manager: [135, 165],
  staff: [75, 135],
};
const HIRED_FROM: Readonly<Record<Seat['level'], number>> = { ceo: 0, head: 90, manager: 365, staff: 400 };

/**
 * Returns the employees: the CEO first, then department heads, managers and staff, so every
 * `manager_id` points to a lower id in the same department (heads report to the CEO).
 */
export function generateEmployees(rng: Random): EmployeeRow[] {
  const byLevel = DEPARTMENTS.map((d, i) => seatsOf(d, i + 1));
  const seats = [0, 1, 2].flatMap((level) => byLevel.flatMap((levels) => levels[level]!));
  const workEmails = new Set<string>();
  const personalEmails = new Set<string>();
  const ssns = new Set<string>();
  const managersOf = new Map<number, number[]>();
  const headOf = new Map<number, number>();
  const reportsTo = (seat: Seat): number | null => {
    if (seat.level === 'ceo') return null;
    if (seat.level === 'head') return headOf.get(1)!;
    const head = headOf.get(seat.department)!;
    return seat.level === 'manager' ? head : rng.pick(managersOf.get(seat.department) ?? [head]);
  };
  return seats.map((seat, index) => {
    const id = index + 1;
    const spec = DEPARTMENTS[seat.department - 1]!;
    // Heads sit in their department's home region; others mostly do too.
    const mobile = seat.level === 'staff' || seat.level === 'manager';
    const region = mobile && !rng.chance(0.55) ? rng.weighted(REGIONS) : spec.region;
    const office = rng.weighted(OFFICES[region]);
    const country = COUNTRIES[office.country];
    const who = person(rng, country, EMPLOYEE_GENDERS);
    const hiredMs =
      seat.level === 'ceo' ? FOUNDED : instantBetween(rng, FOUNDED + HIRED_FROM[seat.level] * DAY, LAST_HIRE);
    let ssn = usSsn(rng);
    while (ssns.has(ssn)) ssn = usSsn(rng);
    ssns.add(ssn);
    const [low, high] = SALARY_FACTOR[seat.level];
    const salary = Math.round((spec.salary * rng.int(low, high) * PAY_LEVEL[region]) / 10000) * 100;
    const managerId = reportsTo(seat);
    if (seat.level === 'ceo' || seat.level === 'head') headOf.set(seat.department, id);
    if (seat.level === 'manager')
      managersOf.set(seat.department, [...(managersOf.get(seat.department) ?? []), id]);
    const local = `${asciiName(who.firstName)}.${asciiName(who.lastName)}`;
    return {
      id,
      full_name: `${who.firstName} ${who.lastName}`,
      work_email: uniqueEmail(local, COMPANY_DOMAIN, workEmails),
      personal_email: personalEmail(rng, who.firstName, who.lastName, country.mailDomains, personalEmails),
      phone: phoneNumber(rng, office, rng.chance(0.6) ? 'e164' : 'national'),
      ssn,
      salary: `${salary}.00`,
      department_id: seat.department,
      job_title: seat.title,
      manager_id: managerId,
      region,
      country: office.country,
      hire_date: isoDate(hiredMs),
      date_of_birth: birthDate(rng, hiredMs, rng.int(23, 54)),
      gender: who.gender,
    };
  });
}
