/**
 * The demo's starter policy set, as V2 policy documents (what `steward policy clone` would write):
 * PII masked for everyone except the Privacy group (dates of birth rounded to the year and card
 * numbers reduced to their last four digits, deeper tags winning over `PII`), rows limited to the
 * reader's Region attribute values, salaries rounded for everyone outside HR, and the HR tables open
 * only to the HR and Privacy groups.
 */
export const STARTER_POLICIES: readonly Record<string, unknown>[] = [
  {
    policyKey: 'demo mask pii',
    name: 'Mask PII except for Privacy',
    type: 'data',
    circumstances: [{ type: 'columnTags', columnTag: 'PII' }],
    actions: [
      {
        rules: [
          {
            type: 'Masking',
            exceptions: { operator: 'any', groups: ['Privacy'] },
            config: { fields: [{ type: 'columnTags', columnTag: 'PII' }], maskingConfig: { type: 'Hash' } },
          },
          {
            type: 'Masking',
            exceptions: { operator: 'any', groups: ['Privacy'] },
            config: {
              fields: [{ type: 'columnTags', columnTag: 'PII.DateOfBirth' }],
              maskingConfig: { type: 'Rounding', timePrecision: 'YEAR' },
            },
          },
          {
            type: 'Masking',
            exceptions: { operator: 'any', groups: ['Privacy'] },
            config: {
              fields: [{ type: 'columnTags', columnTag: 'PII.Financial.CardNumber' }],
              maskingConfig: { type: 'Regex', regex: '^.*(.{4})$', replacement: '************\\1' },
            },
          },
        ],
      },
    ],
  },
  {
    policyKey: 'demo rows by region',
    name: 'Only rows of your regions',
    type: 'data',
    circumstances: [{ type: 'columnTags', columnTag: 'Location.Region' }],
    actions: [
      {
        rules: [
          {
            type: 'Row Restriction By User Entitlements',
            config: {
              fields: [{ type: 'columnTags', columnTag: 'Location.Region' }],
              matchBy: { type: 'attribute', attribute: 'Region' },
            },
          },
        ],
      },
    ],
  },
  {
    policyKey: 'demo round salaries',
    name: 'Round salaries outside HR',
    type: 'data',
    circumstances: [{ type: 'columnTags', columnTag: 'Sensitive.Compensation' }],
    actions: [
      {
        rules: [
          {
            type: 'Masking',
            exceptions: { operator: 'any', groups: ['HR'] },
            config: {
              fields: [{ type: 'columnTags', columnTag: 'Sensitive.Compensation' }],
              maskingConfig: { type: 'Rounding', bucketSize: 10000 },
            },
          },
        ],
      },
    ],
  },
  {
    policyKey: 'demo hr access',
    name: 'HR tables for HR and Privacy',
    type: 'subscription',
    circumstances: [{ type: 'tags', tag: 'Domain.HR' }],
    actions: {
      type: 'entitlements',
      entitlements: { operator: 'any', groups: ['HR', 'Privacy'] },
      automaticSubscription: true,
    },
  },
];

/** Tags the demo puts on its tables and columns (until discovery tags them), by schema.table[.column]. */
export const STARTER_TAGS: Readonly<Record<string, readonly string[]>> = {
  'sales.customers': ['Domain.Sales'],
  'sales.orders': ['Domain.Sales'],
  'sales.payments': ['Domain.Sales'],
  'hr.departments': ['Domain.HR'],
  'hr.employees': ['Domain.HR'],
  'sales.customers.first_name': ['PII.Name'],
  'sales.customers.last_name': ['PII.Name'],
  'sales.customers.email': ['PII.Email'],
  'sales.customers.phone': ['PII.Phone'],
  'sales.customers.date_of_birth': ['PII.DateOfBirth'],
  'sales.customers.street_address': ['PII.Address'],
  'sales.customers.postal_code': ['PII.Address'],
  'sales.customers.ssn_or_national_id': ['PII.NationalId'],
  'sales.customers.region': ['Location.Region'],
  'sales.payments.card_number': ['PII.Financial.CardNumber'],
  'sales.payments.card_holder': ['PII.Name'],
  'sales.payments.iban': ['PII.Financial.IBAN'],
  'sales.payments.ip_address': ['PII.Network'],
  'hr.departments.region': ['Location.Region'],
  'hr.employees.full_name': ['PII.Name'],
  'hr.employees.personal_email': ['PII.Email'],
  'hr.employees.phone': ['PII.Phone'],
  'hr.employees.ssn': ['PII.NationalId'],
  'hr.employees.date_of_birth': ['PII.DateOfBirth'],
  'hr.employees.salary': ['Sensitive.Compensation'],
  'hr.employees.region': ['Location.Region'],
};
