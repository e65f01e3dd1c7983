import type { CountryCode, Region } from './countries.ts';
import type { Gender } from './people.ts';

// Rows as they are loaded: keys are column names; dates are `YYYY-MM-DD`, timestamps ISO 8601 in UTC and
// numeric amounts decimal strings, so the values are exact and identical on every machine.

/** A row of `sales.customers`. */
export interface CustomerRow {
  readonly id: number;
  readonly first_name: string;
  readonly last_name: string;
  readonly email: string;
  readonly phone: string;
  readonly date_of_birth: string;
  readonly street_address: string;
  readonly city: string;
  readonly postal_code: string;
  readonly country: CountryCode;
  readonly region: Region;
  readonly ssn_or_national_id: string | null;
  readonly created_at: string;
}

/** Lifecycle states of an order. */
export type OrderStatus =
  | 'pending'
  | 'processing'
  | 'shipped'
  | 'delivered'
  | 'cancelled'
  | 'refunded'
  | 'returned';

/** A row of `sales.orders`. */
export interface OrderRow {
  readonly id: number;
  readonly customer_id: number;
  readonly order_number: string;
  readonly status: OrderStatus;
  readonly total_amount: string;
  readonly currency: string;
  readonly placed_at: string;
  readonly shipping_city: string;
  readonly notes: string | null;
}

/** A row of `sales.payments`: card fields are set for card payments, `iban` for bank transfers. */
export interface PaymentRow {
  readonly id: number;
  readonly order_id: number;
  readonly method: 'card' | 'bank_transfer';
  readonly card_number: string | null;
  readonly card_holder: string | null;
  readonly expiry: string | null;
  readonly iban: string | null;
  readonly amount: string;
  readonly paid_at: string;
  readonly ip_address: string;
  readonly reference_code: string;
}

/** A row of `hr.departments`. */
export interface DepartmentRow {
  readonly id: number;
  readonly name: string;
  readonly region: Region;
  readonly cost_center: string;
}

/** A row of `hr.employees`. */
export interface EmployeeRow {
  readonly id: number;
  readonly full_name: string;
  readonly work_email: string;
  readonly personal_email: string;
  readonly phone: string;
  readonly ssn: string;
  readonly salary: string;
  readonly department_id: number;
  readonly job_title: string;
  readonly manager_id: number | null;
  readonly region: Region;
  readonly country: CountryCode;
  readonly hire_date: string;
  readonly date_of_birth: string;
  readonly gender: Gender;
}

/** The whole demo data set, table by table. */
export interface DemoData {
  readonly customers: readonly CustomerRow[];
  readonly orders: readonly OrderRow[];
  readonly payments: readonly PaymentRow[];
  readonly departments: readonly DepartmentRow[];
  readonly employees: readonly EmployeeRow[];
}
