import {
  asciiName,
  type PhoneStyle,
  personalEmail,
  phoneNumber,
  postalCode,
  streetAddress,
} from './contact.ts';
import { type City, COUNTRIES, type Country, citiesOf } from './countries.ts';
import { nationalId } from './national-ids.ts';
import {
  type CardBrand,
  cardNumber,
  type IbanCountry,
  iban,
  ipv4,
  nonLuhnDigits,
} from './payment-instruments.ts';
import { type Gender, type Person, person } from './people.ts';
import type { Random } from './random.ts';
import type { CustomerRow, OrderRow, OrderStatus, PaymentRow } from './rows.ts';
import { birthDate, DAY, DEMO_NOW, instantBetween, isoDate, isoTimestamp } from './time.ts';
import { PRODUCTS } from './vocab.ts';

/** A customer row with what later tables need to stay consistent with it. */
export interface CustomerProfile {
  readonly row: CustomerRow;
  readonly person: Person;
  readonly city: City;
  readonly country: Country;
  readonly createdMs: number;
  readonly homeIp: string;
  /** Set for customers who pay by bank transfer from an account in their country. */
  readonly transferFrom?: IbanCountry;
}

const CUSTOMER_GENDERS: readonly (readonly [Gender, number])[] = [
  ['female', 49],
  ['male', 49],
  ['non-binary', 2],
];
const PHONE_STYLES: readonly (readonly [PhoneStyle, number])[] = [
  ['e164', 40],
  ['international', 15],
  ['national', 45],
];
const IBAN_COUNTRIES: readonly string[] = ['DE', 'FR', 'GB', 'NL', 'ES'] satisfies IbanCountry[];
const FIRST_SIGN_UP = Date.UTC(2021, 0, 4);

/** Formats a non-negative amount in cents as a decimal string with two places. */
export function formatCents(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** Returns `count` customers with ids in sign-up order, spread over the demo countries by weight. */
export function generateCustomers(rng: Random, count: number): CustomerProfile[] {
  const countries = Object.values(COUNTRIES).map((c) => [c, c.weight] as const);
  const signUps = Array.from({ length: count }, () => instantBetween(rng, FIRST_SIGN_UP, DEMO_NOW - 7 * DAY));
  signUps.sort((a, b) => a - b);
  const taken = new Set<string>();
  return signUps.map((createdMs, index) => {
    const country = rng.weighted(countries);
    const city = rng.pick(citiesOf(country.code));
    const who = person(rng, country, CUSTOMER_GENDERS);
    const dateOfBirth = birthDate(rng, createdMs, (rng.int(18, 84) + rng.int(18, 70)) >> 1);
    const id = nationalId(rng, { ...who, birthDate: dateOfBirth, city });
    const row: CustomerRow = {
      id: index + 1,
      first_name: who.firstName,
      last_name: who.lastName,
      email: personalEmail(rng, who.firstName, who.lastName, country.mailDomains, taken),
      phone: phoneNumber(rng, city, rng.weighted(PHONE_STYLES)),
      date_of_birth: dateOfBirth,
      street_address: streetAddress(rng, city),
      city: city.name,
      postal_code: postalCode(rng, city),
      country: country.code,
      region: country.region,
      ssn_or_national_id: rng.chance(0.88) ? id : null,
      created_at: isoTimestamp(createdMs),
    };
    const transfer = IBAN_COUNTRIES.includes(country.code) && rng.chance(0.25);
    const profile = { row, person: who, city, country, createdMs, homeIp: ipv4(rng) };
    return transfer ? { ...profile, transferFrom: country.code as IbanCountry } : profile;
  });
}

const statusFor = (rng: Random, ageDays: number): OrderStatus => {
  if (ageDays < 2)
    return rng.weighted<OrderStatus>([
      ['pending', 2],
      ['processing', 3],
    ]);
  if (ageDays < 7)
    return rng.weighted<OrderStatus>([
      ['processing', 10],
      ['shipped', 30],
      ['cancelled', 1],
    ]);
  if (ageDays < 20)
    return rng.weighted<OrderStatus>([
      ['shipped', 20],
      ['delivered', 30],
      ['cancelled', 1],
    ]);
  return rng.weighted<OrderStatus>([
    ['delivered', 90],
    ['cancelled', 4],
    ['refunded', 3],
    ['returned', 3],
  ]);
};

const orderNote = (rng: Random, customer: CustomerProfile, product: string): string | null => {
  if (!rng.chance(0.28)) return null;
  const colleague = `${asciiName(customer.person.firstName)[0]}.${asciiName(customer.person.lastName)}@work-mail.example`;
  return rng.weighted<string>([
    ['Leave the parcel with the concierge.', 3],
    ['Please ring twice; the doorbell is faulty.', 2],
    [`Gift wrap the ${product}, please. No prices on the slip.`, 3],
    [`Customer asked for the invoice to be sent to ${customer.row.email}.`, 2],
    [`Replacement for a damaged ${product}, approved by support.`, 2],
    ['Deliver after 5 pm on weekdays.', 2],
    [`If delivery fails, write to ${colleague} before returning it.`, 1],
  ]);
};

/** Returns `count` orders of the customers, numbered per year in the order they were placed. */
export function generateOrders(
  rng: Random,
  customers: readonly CustomerProfile[],
  count: number,
): OrderRow[] {
  // Each customer holds 0-8 tickets: a few buy often, some never.
  const tickets = customers.flatMap((c) =>
    Array<CustomerProfile>(
      rng.weighted([
        [0, 1],
        [1, 4],
        [2, 3],
        [4, 2],
        [8, 1],
      ]),
    ).fill(c),
  );
  const drafts = Array.from({ length: count }, () => {
    const customer = rng.pick(tickets);
    return { customer, placedMs: instantBetween(rng, customer.createdMs + 3_600_000, DEMO_NOW) };
  });
  drafts.sort((a, b) => a.placedMs - b.placedMs);
  const perYear = new Map<string, number>();
  return drafts.map(({ customer, placedMs }, index) => {
    const year = isoDate(placedMs).slice(0, 4);
    const sequence = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, sequence);
    const lines = rng.weighted([
      [1, 10],
      [2, 6],
      [3, 3],
      [4, 1],
    ]);
    let usdCents = 0;
    let firstProduct = '';
    for (let i = 0; i < lines; i++) {
      const [name, price] = rng.pick(PRODUCTS);
      usdCents += price * (rng.chance(0.15) ? 2 : 1);
      firstProduct ||= name;
    }
    if (usdCents < 7500) usdCents += 695;
    const { country } = customer;
    let local = Math.round((usdCents * country.perThousandUsd) / 1000);
    if (country.currency === 'JPY') local = Math.round(local / 100) * 100;
    const shipping = rng.chance(0.1) ? rng.pick(citiesOf(country.code)) : customer.city;
    return {
      id: index + 1,
      customer_id: customer.row.id,
      order_number: `ORD-${year}-${String(sequence).padStart(6, '0')}`,
      status: statusFor(rng, (DEMO_NOW - placedMs) / DAY),
      total_amount: formatCents(local),
      currency: country.currency,
      placed_at: isoTimestamp(placedMs),
      shipping_city: shipping.name,
      notes: orderNote(rng, customer, firstProduct),
    };
  });
}

type Instrument = Pick<PaymentRow, 'method' | 'card_number' | 'card_holder' | 'expiry' | 'iban'>;

interface Card {
  readonly number: string;
  readonly holder: string;
  readonly expiry: string;
  /** First instant the card no longer works. */
  readonly expiresMs: number;
}

const newCard = (rng: Random, customer: CustomerProfile, issuedMs: number): Card => {
  const brand = rng.weighted<CardBrand>([
    ['visa', 50],
    ['mastercard', 35],
    ['amex', 15],
  ]);
  const digits = cardNumber(rng, brand);
  const spaced =
    brand === 'amex' ? [digits.slice(0, 4), digits.slice(4, 10), digits.slice(10)] : digits.match(/.{4}/g);
  const issued = new Date(issuedMs);
  // Months after January of the issue year; the card works until the end of that month.
  const month = issued.getUTCMonth() + rng.int(12, 60);
  const year = issued.getUTCFullYear() + Math.floor(month / 12);
  const name = `${customer.person.firstName} ${customer.person.lastName}`;
  return {
    number: rng.chance(0.15) ? (spaced ?? []).join(' ') : digits,
    holder: rng.chance(0.4) ? name.toUpperCase() : name,
    expiry: `${String((month % 12) + 1).padStart(2, '0')}/${String(year).slice(2)}`,
    expiresMs: Date.UTC(year, (month % 12) + 1, 1),
  };
};

/** Returns the payments of the orders: none for pending ones, one or two installments otherwise. */
export function generatePayments(
  rng: Random,
  customers: readonly CustomerProfile[],
  orders: readonly OrderRow[],
): PaymentRow[] {
  const wallets = new Map<number, Card[]>();
  const payments: PaymentRow[] = [];
  for (const order of orders) {
    if (order.status === 'pending' || (order.status === 'cancelled' && rng.chance(0.5))) continue;
    const customer = customers[order.customer_id - 1]!;
    const placedMs = Date.parse(order.placed_at);
    const total = Math.round(Number(order.total_amount) * 100);
    const ip = rng.chance(0.75) ? customer.homeIp : ipv4(rng);
    const add = (instrument: Instrument, cents: number, paidMs: number): void => {
      payments.push({
        id: payments.length + 1,
        order_id: order.id,
        ...instrument,
        amount: formatCents(cents),
        paid_at: isoTimestamp(paidMs),
        ip_address: ip,
        reference_code: nonLuhnDigits(rng),
      });
    };
    if (customer.transferFrom) {
      const paidMs = Math.min(placedMs + rng.int(1, 3) * DAY, DEMO_NOW - 60_000);
      const account = iban(rng, customer.transferFrom);
      add(
        { method: 'bank_transfer', card_number: null, card_holder: null, expiry: null, iban: account },
        total,
        paidMs,
      );
      continue;
    }
    const paidMs = placedMs + rng.int(5, 900) * 1000;
    const wallet = wallets.get(customer.row.id) ?? [];
    wallets.set(customer.row.id, wallet);
    let card = wallet.length > 0 && rng.chance(0.85) ? rng.pick(wallet) : undefined;
    if (!card || card.expiresMs <= paidMs) {
      card = newCard(rng, customer, paidMs);
      wallet.push(card);
    }
    const instrument: Instrument = {
      method: 'card',
      card_number: card.number,
      card_holder: card.holder,
      expiry: card.expiry,
      iban: null,
    };
    // A few large orders are paid in two installments a month apart, on a card still valid then.
    const split = total > 20000 && card.expiresMs > paidMs + 31 * DAY && rng.chance(0.06);
    const first = split ? Math.floor((total * rng.int(30, 70)) / 100) : total;
    add(instrument, first, paidMs);
    if (first < total) add(instrument, total - first, Math.min(paidMs + 30 * DAY, DEMO_NOW - 60_000));
  }
  return payments;
}
