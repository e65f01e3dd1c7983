/**
 * The demo's starter policy set, as V2 policy documents (what `steward policy clone` would write):
 * the PII discovery found masked for everyone except the Privacy group (direct identifiers hashed,
 * dates of birth rounded to the year, card numbers reduced to their last four digits), rows limited to the
 * reader's Region attribute values, salaries rounded for everyone outside HR, and the HR tables open
 * only to the HR and Privacy groups.
 */
/** Discovered entity tags whose columns the demo hashes for everyone outside Privacy: direct identifiers. */
export const DEMO_HASHED_ENTITIES: readonly string[] = [
  'Email Address',
  'Phone Number',
  'Person Name',
  'Street Address',
  'Postal Code',
  'National Identifier',
  'National Identity Number',
  'Social Security Number',
  'Social Insurance Number',
  'National Insurance Number',
  'Tax Identification Number',
  'Tax File Number',
  'Passport Number',
  'IBAN',
  'IP Address',
].map((e) => `Discovered.Entity.${e}`);

const DATE_OF_BIRTH = 'Discovered.Entity.Date of Birth';
const CARD_NUMBER = 'Discovered.Entity.Credit Card Number';
const columnTags = (tags: readonly string[]) => tags.map((columnTag) => ({ type: 'columnTags', columnTag }));

export const STARTER_POLICIES: readonly Record<string, unknown>[] = [
  {
    policyKey: 'demo mask pii',
    name: 'Mask discovered PII except for Privacy',
    type: 'data',
    circumstances: columnTags([...DEMO_HASHED_ENTITIES, DATE_OF_BIRTH, CARD_NUMBER]),
    circumstanceOperator: 'any',
    actions: [
      {
        rules: [
          {
            type: 'Masking',
            exceptions: { operator: 'any', groups: ['Privacy'] },
            config: { fields: columnTags(DEMO_HASHED_ENTITIES), maskingConfig: { type: 'Hash' } },
          },
          {
            type: 'Masking',
            exceptions: { operator: 'any', groups: ['Privacy'] },
            config: {
              fields: columnTags([DATE_OF_BIRTH]),
              maskingConfig: { type: 'Rounding', timePrecision: 'YEAR' },
            },
          },
          {
            type: 'Masking',
            exceptions: { operator: 'any', groups: ['Privacy'] },
            config: {
              fields: columnTags([CARD_NUMBER]),
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

/**
 * Tags the demo puts on its tables and columns by hand, by schema.table[.column]: what discovery cannot
 * know (which tables are HR's, which columns hold a region or pay). Its PII is tagged by discovery.
 */
export const STARTER_TAGS: Readonly<Record<string, readonly string[]>> = {
  'sales.customers': ['Domain.Sales'],
  'sales.orders': ['Domain.Sales'],
  'sales.payments': ['Domain.Sales'],
  'hr.departments': ['Domain.HR'],
  'hr.employees': ['Domain.HR'],
  'sales.customers.region': ['Location.Region'],
  'hr.departments.region': ['Location.Region'],
  'hr.employees.salary': ['Sensitive.Compensation'],
  'hr.employees.region': ['Location.Region'],
};
