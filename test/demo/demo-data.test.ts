import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { myNumberCheckDigit } from '../../src/demo/checksums.ts';
import { COUNTRIES, type CountryCode } from '../../src/demo/countries.ts';
import { generateDemoData } from '../../src/demo/generate.ts';
import { loadDemoData } from '../../src/demo/load.ts';
import { DEMO_TABLES } from '../../src/demo/schema.ts';
import {
  cpfCheckDigits,
  curpCheckDigit,
  dniLetter,
  isLuhnValid,
  isVerhoeffValid,
  mod11_10CheckDigit,
  nirKey,
} from '../../src/discovery/check-digits.ts';
import { isIban } from '../../src/discovery/validators.ts';

const data = generateDemoData();
const compact = (s: string): string => s.replace(/[ .-]/g, '');
const weighted = (digits: string, weights: readonly number[]): number =>
  weights.reduce((sum, w, i) => sum + w * Number(digits[i]), 0);

/** Returns whether an SSN has the ###-##-#### shape outside the never-issued ranges. */
const isValidSsn = (ssn: string): boolean => {
  const m = /^(\d{3})-(\d{2})-(\d{4})$/.exec(ssn);
  return (
    !!m && m[1] !== '000' && m[1] !== '666' && !m[1]!.startsWith('9') && m[2] !== '00' && m[3] !== '0000'
  );
};

const POSTAL: Readonly<Record<CountryCode, RegExp>> = {
  US: /^\d{5}(-\d{4})?$/,
  CA: /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d$/,
  GB: /^[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}$/,
  DE: /^\d{5}$/,
  FR: /^\d{5}$/,
  ES: /^\d{5}$/,
  NL: /^[1-9]\d{3} (?!SA|SD|SS)[A-Z]{2}$/,
  AU: /^\d{4}$/,
  IN: /^[1-9]\d{5}$/,
  JP: /^\d{3}-\d{4}$/,
  BR: /^\d{5}-\d{3}$/,
  MX: /^\d{5}$/,
};

/** Independent validators of each country's national identifier. */
const NATIONAL_ID: Readonly<Record<CountryCode, (id: string) => boolean>> = {
  US: isValidSsn,
  CA: (id) => /^[1-7]\d{2} \d{3} \d{3}$/.test(id) && isLuhnValid(compact(id)),
  GB: (id) =>
    /^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]$/.test(id),
  DE: (id) => {
    const n = compact(id);
    const counts = [...n.slice(0, 10)].reduce(
      (m, d) => m.set(d, (m.get(d) ?? 0) + 1),
      new Map<string, number>(),
    );
    const repeated = [...counts.values()].filter((c) => c > 1);
    return /^[1-9]\d{10}$/.test(n) && repeated.length === 1 && mod11_10CheckDigit(n.slice(0, 10)) === n[10];
  },
  FR: (id) =>
    /^[12] \d{2} (0[1-9]|1[0-2]) \d{2} \d{3} \d{3} \d{2}$/.test(id) &&
    nirKey(compact(id).slice(0, 13)) === compact(id).slice(13),
  ES: (id) => /^\d{8}-?[A-Z]$/.test(id) && dniLetter(id.slice(0, 8)) === id.slice(-1),
  NL: (id) => /^\d{9}$/.test(id) && (weighted(id, [9, 8, 7, 6, 5, 4, 3, 2]) - Number(id[8])) % 11 === 0,
  AU: (id) =>
    /^\d{3} \d{3} \d{3}$/.test(id) && weighted(compact(id), [1, 4, 3, 7, 5, 8, 6, 9, 10]) % 11 === 0,
  IN: (id) => /^[2-9]\d{3} \d{4} \d{4}$/.test(id) && isVerhoeffValid(compact(id)),
  JP: (id) => /^\d{4} \d{4} \d{4}$/.test(id) && myNumberCheckDigit(compact(id).slice(0, 11)) === id.slice(-1),
  BR: (id) =>
    /^\d{3}\.\d{3}\.\d{3}-\d{2}$/.test(id) && cpfCheckDigits(compact(id).slice(0, 9)) === id.slice(-2),
  MX: (id) =>
    /^[A-Z]{4}\d{6}[HM][A-Z]{5}[0-9A-Z]\d$/.test(id) && curpCheckDigit(id.slice(0, 17)) === id.slice(-1),
};

const EMAIL = /^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/;

describe('demo data generation', () => {
  it('produces the same rows on every run', () => {
    assert.deepEqual(generateDemoData(), data);
    assert.notDeepEqual(generateDemoData(7).customers.slice(0, 5), data.customers.slice(0, 5));
  });

  it('produces the golden data set, byte for byte', () => {
    // Update only for an intended change of the generator; the demo must look the same everywhere.
    const digest = createHash('sha256').update(JSON.stringify(data)).digest('hex');
    assert.equal(digest, 'd14e2000c82333a7d26dd355a5cb20e5d30ca6215b535a192eea9d387f4b5ad0');
  });

  it('produces the golden first customer, payment and employee', () => {
    assert.deepEqual(data.customers[0], {
      id: 1,
      first_name: 'Tariq',
      last_name: 'Mansour',
      email: 'tariqmansour@orange.fr',
      phone: '+33683338831',
      date_of_birth: '1946-10-28',
      street_address: '141 rue de la République',
      city: 'Paris',
      postal_code: '75010',
      country: 'FR',
      region: 'EMEA',
      ssn_or_national_id: '1 46 10 29 416 738 54',
      created_at: '2021-01-04T07:26:57Z',
    });
    assert.deepEqual(data.payments[0], {
      id: 1,
      order_id: 1,
      ip_address: '91.142.249.151',
      method: 'card',
      card_number: '5294 9270 7078 9936',
      card_holder: 'DIVYA BANERJEE',
      expiry: '12/24',
      iban: null,
      amount: '60258.00',
      paid_at: '2021-02-03T22:15:06Z',
      reference_code: '6442919221059737',
    });
    assert.deepEqual(data.employees[0], {
      id: 1,
      full_name: "Thomas O'Brien",
      work_email: 'thomas.obrien@halcyon-goods.example',
      personal_email: 'thomas.obrien90@outlook.com',
      phone: '(212) 391-7791',
      ssn: '646-55-0686',
      salary: '347200.00',
      department_id: 1,
      job_title: 'Chief Executive Officer',
      manager_id: null,
      region: 'NA',
      country: 'US',
      hire_date: '2014-03-03',
      date_of_birth: '1969-07-31',
      gender: 'male',
    });
  });

  it('has the planned table sizes', () => {
    assert.equal(data.customers.length, 2000);
    assert.equal(data.orders.length, 8000);
    assert.ok(data.payments.length > 7500 && data.payments.length < 8500, String(data.payments.length));
    assert.equal(data.departments.length, 12);
    assert.equal(data.employees.length, 300);
  });

  it('gives card numbers real issuer prefixes and valid Luhn digits', () => {
    const brands = [
      /^4\d{15}$/,
      /^5[1-5]\d{14}$/,
      /^(222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)\d{12}$/,
      /^3[47]\d{13}$/,
    ];
    const cards = data.payments.flatMap((p) => (p.card_number ? [p.card_number.replace(/ /g, '')] : []));
    assert.ok(cards.length > 6000);
    for (const card of cards) {
      assert.ok(isLuhnValid(card), card);
      assert.ok(
        brands.some((b) => b.test(card)),
        card,
      );
    }
    assert.ok(
      brands.every((b) => cards.some((c) => b.test(c))),
      'every brand appears',
    );
  });

  it('gives reference codes 16 digits that fail Luhn', () => {
    for (const p of data.payments) {
      assert.match(p.reference_code, /^\d{16}$/);
      assert.equal(isLuhnValid(p.reference_code), false, p.reference_code);
    }
  });

  it('gives bank transfers IBANs of the customer country that pass mod 97', () => {
    const lengths: Readonly<Record<string, number>> = { DE: 22, FR: 27, GB: 22, NL: 18, ES: 24 };
    const transfers = data.payments.filter((p) => p.method === 'bank_transfer');
    assert.ok(transfers.length > 100);
    for (const p of transfers) {
      const iban = p.iban!.replace(/ /g, '');
      const customer = data.customers[data.orders[p.order_id - 1]!.customer_id - 1]!;
      assert.ok(isIban(p.iban!), p.iban!);
      assert.equal(iban.slice(0, 2), customer.country);
      assert.equal(iban.length, lengths[customer.country]);
      assert.equal(p.card_number, null);
    }
  });

  it('gives card expiry dates after the payment', () => {
    for (const p of data.payments.filter((x) => x.expiry !== null)) {
      const [month, year] = p.expiry!.split('/').map(Number);
      assert.ok(month! >= 1 && month! <= 12, p.expiry!);
      assert.ok(Date.UTC(2000 + year!, month!, 1) > Date.parse(p.paid_at), `${p.expiry} ${p.paid_at}`);
    }
  });

  it('gives SSNs outside the never-issued ranges', () => {
    const ssns = [
      ...data.employees.map((e) => e.ssn),
      ...data.customers.filter((c) => c.country === 'US').map((c) => c.ssn_or_national_id),
    ];
    for (const ssn of ssns) if (ssn !== null) assert.ok(isValidSsn(ssn), ssn);
    assert.equal(new Set(data.employees.map((e) => e.ssn)).size, data.employees.length);
  });

  it("gives each customer a national identifier valid for the customer's country", () => {
    for (const c of data.customers) {
      if (c.ssn_or_national_id !== null)
        assert.ok(NATIONAL_ID[c.country](c.ssn_or_national_id), `${c.country} ${c.ssn_or_national_id}`);
    }
    const countries = new Set(data.customers.filter((c) => c.ssn_or_national_id).map((c) => c.country));
    assert.equal(countries.size, Object.keys(COUNTRIES).length);
  });

  it("writes postal codes in each country's format", () => {
    for (const c of data.customers) assert.match(c.postal_code, POSTAL[c.country], c.country);
  });

  it('writes phone numbers with the country calling code or in national form', () => {
    for (const { country, phone } of [...data.customers, ...data.employees]) {
      const digits = phone.replace(/\D/g, '');
      assert.ok(digits.length >= 9 && digits.length <= 15, phone);
      if (phone.startsWith('+')) {
        assert.match(phone, /^\+\d+( [\d -]+)?$/);
        assert.ok(digits.startsWith(COUNTRIES[country].dial), `${country} ${phone}`);
      } else assert.match(phone, /^[\d(][\d ()-]+$/);
    }
    assert.ok(
      data.customers.some((c) => /^\+[1-9]\d{7,14}$/.test(c.phone)),
      'some are E.164',
    );
  });

  it('derives well-formed, unique emails from the names', () => {
    for (const c of data.customers) assert.match(c.email, EMAIL);
    for (const e of data.employees) {
      assert.match(e.work_email, EMAIL);
      assert.match(e.personal_email, EMAIL);
    }
    assert.equal(new Set(data.customers.map((c) => c.email)).size, data.customers.length);
    assert.equal(new Set(data.employees.map((e) => e.work_email)).size, data.employees.length);
    const named = data.customers.filter((c) =>
      c.email.includes(c.last_name.toLowerCase().replace(/[^a-z]/g, '')),
    );
    assert.ok(named.length > data.customers.length / 2);
  });

  it('puts each customer in the region of their country', () => {
    for (const c of data.customers) assert.equal(c.region, COUNTRIES[c.country].region);
  });

  it('links every order to an existing customer, after they signed up', () => {
    for (const o of data.orders) {
      const customer = data.customers[o.customer_id - 1];
      assert.equal(customer?.id, o.customer_id);
      assert.ok(o.placed_at > customer.created_at);
      assert.equal(o.currency, COUNTRIES[customer.country].currency);
      assert.match(o.order_number, new RegExp(`^ORD-${o.placed_at.slice(0, 4)}-\\d{6}$`));
    }
    assert.equal(new Set(data.orders.map((o) => o.order_number)).size, data.orders.length);
  });

  it('mentions an email address in some order notes', () => {
    const withEmail = data.orders.filter((o) => o.notes && /\S+@\S+\.\w+/.test(o.notes));
    assert.ok(withEmail.length > 50);
  });

  it('pays each paid order in full, never a pending one', () => {
    const paid = new Map<number, number>();
    for (const p of data.payments)
      paid.set(p.order_id, (paid.get(p.order_id) ?? 0) + Math.round(Number(p.amount) * 100));
    for (const o of data.orders) {
      const cents = paid.get(o.id);
      if (o.status === 'pending') assert.equal(cents, undefined);
      else if (cents !== undefined)
        assert.equal(cents, Math.round(Number(o.total_amount) * 100), o.order_number);
      else assert.equal(o.status, 'cancelled');
    }
  });

  it('gives every employee but the CEO a manager hired into the tree above them', () => {
    const ids = new Set(data.employees.map((e) => e.id));
    assert.deepEqual(
      data.employees.filter((e) => e.manager_id === null).map((e) => e.job_title),
      ['Chief Executive Officer'],
    );
    for (const e of data.employees) {
      if (e.manager_id !== null) assert.ok(ids.has(e.manager_id) && e.manager_id < e.id);
      assert.ok(data.departments.some((d) => d.id === e.department_id));
      assert.ok(e.date_of_birth < e.hire_date);
    }
  });
});

describe('loadDemoData', () => {
  let db: PGlite;
  let result: { tables: number; rows: number };

  before(async () => {
    db = await PGlite.create('memory://');
    result = await loadDemoData(db, data);
  });
  after(async () => {
    await db.close();
  });

  const count = async (table: string): Promise<number> =>
    (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ' + table)).rows[0]!.n;

  it('reports the tables and rows it loaded', () => {
    const rows =
      data.customers.length +
      data.orders.length +
      data.payments.length +
      data.departments.length +
      data.employees.length;
    assert.deepEqual(result, { tables: 5, rows });
  });

  it('creates each table with the generated row count', async () => {
    assert.equal(await count('sales.customers'), data.customers.length);
    assert.equal(await count('sales.orders'), data.orders.length);
    assert.equal(await count('sales.payments'), data.payments.length);
    assert.equal(await count('hr.departments'), data.departments.length);
    assert.equal(await count('hr.employees'), data.employees.length);
  });

  it('stores values exactly as generated', async () => {
    const { rows } = await db.query<Record<string, unknown>>(
      `SELECT c.email, c.date_of_birth::text AS dob, c.ssn_or_national_id, p.card_number, p.amount::text AS amount
       FROM sales.customers c, sales.payments p WHERE c.id = 1 AND p.id = 1`,
    );
    assert.deepEqual(rows[0], {
      email: data.customers[0]!.email,
      dob: data.customers[0]!.date_of_birth,
      ssn_or_national_id: data.customers[0]!.ssn_or_national_id,
      card_number: data.payments[0]!.card_number,
      amount: data.payments[0]!.amount,
    });
    assert.equal(
      await count('sales.orders WHERE notes IS NULL'),
      data.orders.filter((o) => o.notes === null).length,
    );
  });

  it('declares the expected column types', async () => {
    const { rows } = await db.query<{ c: string }>(
      `SELECT table_schema || '.' || table_name || '.' || column_name || ' ' || format_type(a.atttypid, a.atttypmod) AS c
       FROM information_schema.columns
       JOIN pg_attribute a ON a.attrelid = (table_schema || '.' || table_name)::regclass AND a.attname = column_name
       WHERE table_schema IN ('sales', 'hr') AND column_name IN ('total_amount', 'salary', 'placed_at', 'date_of_birth', 'country')
       ORDER BY 1`,
    );
    assert.deepEqual(
      rows.map((r) => r.c),
      [
        'hr.employees.country character(2)',
        'hr.employees.date_of_birth date',
        'hr.employees.salary numeric(10,2)',
        'sales.customers.country character(2)',
        'sales.customers.date_of_birth date',
        'sales.orders.placed_at timestamp with time zone',
        'sales.orders.total_amount numeric(12,2)',
      ],
    );
  });

  it('comments every schema, table and column', async () => {
    const table = await db.query<{ d: string }>(
      "SELECT obj_description('sales.customers'::regclass, 'pg_class') AS d",
    );
    assert.equal(table.rows[0]!.d, 'Customers of the online store');
    const column = await db.query<{ d: string }>(
      "SELECT col_description('sales.payments'::regclass, 4) AS d",
    );
    assert.equal(column.rows[0]!.d, 'Primary account number of the card (PAN)');
    const missing = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace s ON s.oid = c.relnamespace
       WHERE s.nspname IN ('sales', 'hr') AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
         AND col_description(c.oid, a.attnum) IS NULL`,
    );
    assert.equal(missing.rows[0]!.n, 0);
    const columns = DEMO_TABLES.reduce((n, t) => n + t.columns.length, 0);
    assert.equal(
      await count(
        "pg_description d JOIN pg_class c ON c.oid = d.objoid WHERE d.objsubid > 0 AND c.relnamespace::regnamespace::text IN ('sales', 'hr')",
      ),
      columns,
    );
  });

  it('enforces the foreign keys, which all hold', async () => {
    const fks = await db.query<{ c: string }>(
      `SELECT conrelid::regclass || ' -> ' || confrelid::regclass AS c FROM pg_constraint
       WHERE contype = 'f' AND connamespace::regnamespace::text IN ('sales', 'hr') ORDER BY 1`,
    );
    assert.deepEqual(
      fks.rows.map((r) => r.c),
      [
        'hr.employees -> hr.departments',
        'hr.employees -> hr.employees',
        'sales.orders -> sales.customers',
        'sales.payments -> sales.orders',
      ],
    );
    assert.equal(
      await count(
        'sales.orders o WHERE NOT EXISTS (SELECT 1 FROM sales.customers c WHERE c.id = o.customer_id)',
      ),
      0,
    );
    assert.equal(
      await count('sales.payments p WHERE NOT EXISTS (SELECT 1 FROM sales.orders o WHERE o.id = p.order_id)'),
      0,
    );
    await assert.rejects(
      db.query(`INSERT INTO sales.orders (customer_id, order_number, status, total_amount, currency, placed_at, shipping_city)
                VALUES (999999, 'ORD-2026-999999', 'pending', 1, 'USD', now(), 'Paris')`),
      /foreign key/,
    );
  });

  it('gives new rows fresh identity values', async () => {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO hr.departments (name, region, cost_center) VALUES ('Research', 'EMEA', 'CC-9990') RETURNING id`,
    );
    assert.equal(rows[0]!.id, data.departments.length + 1);
    await db.query('DELETE FROM hr.departments WHERE id = $1', [rows[0]!.id]);
  });

  it('refuses a second load and leaves the first intact', async () => {
    await assert.rejects(loadDemoData(db, data), /already exists/);
    assert.equal(await count('sales.customers'), data.customers.length);
  });
});
