import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateDemoData } from '../../src/demo/generate.ts';
import { DEMO_TABLES } from '../../src/demo/schema.ts';
import { BUILTIN_IDENTIFIERS } from '../../src/discovery/builtin-identifiers.ts';
import type { ColumnVerdict } from '../../src/discovery/scoring.ts';
import { classify } from '../fixtures/discovery/corpus.ts';

const E = 'Discovered.Entity.';

/** Entity tags that say what a column is without making it personal data on their own. */
const NON_PERSONAL = new Set([`${E}Date`, `${E}Timestamp`]);

/** Returns the type family of a demo column's SQL type, as the PostgreSQL crawl reports it. */
function family(sqlType: string): string {
  if (sqlType.startsWith('integer')) return 'integer';
  if (sqlType.startsWith('numeric')) return 'decimal';
  if (sqlType.startsWith('timestamptz')) return 'timestamp';
  if (sqlType.startsWith('date')) return 'date';
  return 'text';
}

/** Classifies every column of every demo table with the full built-in pack, values read as text. */
function discoverDemo(): ReadonlyMap<string, ColumnVerdict> {
  const data = generateDemoData() as unknown as Readonly<Record<string, readonly Record<string, unknown>[]>>;
  const verdicts = new Map<string, ColumnVerdict>();
  for (const table of DEMO_TABLES) {
    const rows = data[table.name] ?? [];
    assert.ok(rows.length > 0, `no rows for ${table.name}`);
    for (const column of table.columns) {
      const values = rows.map((row) => {
        const value = row[column.name];
        return value === null || value === undefined ? null : String(value);
      });
      verdicts.set(
        `${table.name}.${column.name}`,
        classify(BUILTIN_IDENTIFIERS, { column: column.name, dataType: family(column.type), values }),
      );
    }
  }
  return verdicts;
}

const verdicts = discoverDemo();
const verdictOf = (column: string): ColumnVerdict => {
  const verdict = verdicts.get(column);
  assert.ok(verdict, `no demo column ${column}`);
  return verdict;
};

describe('discovery on the demo warehouse', () => {
  const personal: readonly (readonly [string, string])[] = [
    ['customers.first_name', 'Person Name'],
    ['customers.last_name', 'Person Name'],
    ['customers.email', 'Email Address'],
    ['customers.phone', 'Phone Number'],
    ['customers.date_of_birth', 'Date of Birth'],
    ['customers.street_address', 'Street Address'],
    ['customers.postal_code', 'Postal Code'],
    ['customers.ssn_or_national_id', 'National Identifier'],
    ['payments.card_number', 'Credit Card Number'],
    ['payments.iban', 'IBAN'],
    ['payments.ip_address', 'IP Address'],
    ['employees.full_name', 'Person Name'],
    ['employees.personal_email', 'Email Address'],
    ['employees.phone', 'Phone Number'],
    ['employees.ssn', 'Social Security Number'],
    ['employees.date_of_birth', 'Date of Birth'],
  ];
  for (const [column, entity] of personal) {
    it(`tags ${column} as ${entity}`, () => {
      assert.ok(
        verdictOf(column).tags.includes(`${E}${entity}`),
        `${column}: ${verdictOf(column).tags.join(', ')}`,
      );
    });
  }

  it('finds the contact, payment and identity columns by their values, not only their names', () => {
    const byValue: Readonly<Record<string, string>> = {
      'customers.first_name': 'FIRST_NAME',
      'customers.last_name': 'LAST_NAME',
      'customers.email': 'EMAIL_ADDRESS',
      'customers.phone': 'PHONE_NUMBER',
      'customers.street_address': 'STREET_ADDRESS',
      'payments.card_number': 'CREDIT_CARD_NUMBER',
      'payments.iban': 'IBAN',
      'payments.ip_address': 'IPV4_ADDRESS',
      'employees.personal_email': 'EMAIL_ADDRESS',
      'employees.phone': 'PHONE_NUMBER',
      'employees.ssn': 'US_SSN',
    };
    for (const [column, identifier] of Object.entries(byValue))
      assert.equal(verdictOf(column).identifier, identifier, column);
  });

  it('gives ids, amounts, order dates, statuses and codes no personal entity tag', () => {
    const plain = [
      'customers.id',
      'customers.region',
      'customers.created_at',
      'orders.id',
      'orders.customer_id',
      'orders.order_number',
      'orders.status',
      'orders.total_amount',
      'orders.currency',
      'orders.placed_at',
      'orders.notes',
      'payments.id',
      'payments.order_id',
      'payments.method',
      'payments.amount',
      'payments.paid_at',
      'payments.reference_code',
      'departments.id',
      'departments.name',
      'departments.region',
      'departments.cost_center',
      'employees.id',
      'employees.salary',
      'employees.department_id',
      'employees.job_title',
      'employees.manager_id',
      'employees.region',
      'employees.hire_date',
    ];
    for (const column of plain) {
      const personalTags = verdictOf(column).tags.filter((t) => !NON_PERSONAL.has(t));
      assert.deepEqual(personalTags, [], column);
    }
  });
});
