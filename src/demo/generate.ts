import { generateDepartments, generateEmployees } from './generate-hr.ts';
import { generateCustomers, generateOrders, generatePayments } from './generate-sales.ts';
import { createRandom } from './random.ts';
import type { DemoData } from './rows.ts';

/** The seed of the demo warehouse; changing it changes every generated value. */
export const DEMO_SEED = 20260331;

/** How many rows of each generated table the demo warehouse gets (payments follow from the orders). */
export const DEMO_SIZES = { customers: 2000, orders: 8000 } as const;

/**
 * Returns the demo warehouse's rows, identical for the same seed on every machine and run.
 * Sales and HR draw from separate streams, so changing one never shifts the other.
 */
export function generateDemoData(seed: number = DEMO_SEED): DemoData {
  const sales = createRandom(seed);
  const customers = generateCustomers(sales, DEMO_SIZES.customers);
  const orders = generateOrders(sales, customers, DEMO_SIZES.orders);
  const payments = generatePayments(sales, customers, orders);
  return {
    customers: customers.map((c) => c.row),
    orders,
    payments,
    departments: generateDepartments(),
    employees: generateEmployees(createRandom(seed ^ 0x48522d31)),
  };
}
