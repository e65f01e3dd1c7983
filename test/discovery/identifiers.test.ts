import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BUILTIN_IDENTIFIERS } from '../../src/discovery/builtin-identifiers.ts';
import { mod97 } from '../../src/discovery/check-digits.ts';
import type { Identifier } from '../../src/discovery/identifier.ts';
import { matchColumnName, matchValue } from '../../src/discovery/match.ts';

const corsicanNir = '185072A012345' + String(97 - mod97('1850719012345')).padStart(2, '0');

/** Per identifier: values (or column names) it must match, then ones it must not; hard negatives included. */
const EXAMPLES: Readonly<Record<string, readonly [readonly string[], readonly string[]]>> = {
  EMAIL_ADDRESS: [
    ['jane.doe@example.com', 'o.brien+tag@mail.co.uk'],
    ['contact jane@example.com today', 'jane@localhost', '@example.com'],
  ],
  PHONE_NUMBER_E164: [
    ['+14155552671', '+447911123456'],
    ['14155552671', '+0123456789', '+1 415 555 2671'],
  ],
  PHONE_NUMBER_NANP: [
    ['(415) 555-2671', '415-555-2671', '+1 415.555.2671'],
    ['4155552671', 'ORD-555-2671', '115-555-2671', '2024-555-0001'],
  ],
  PHONE_NUMBER_UK: [
    ['07911 123456', '+44 20 7946 0958', '01632 960123', '0161 234 5678', '+44 (0)20 7946 0958'],
    ['07911 12345', '+44 5555 123456', '0044 20 7946 0958'],
  ],
  PHONE_NUMBER_FR: [
    ['06 12 34 56 78', '01.23.45.67.89', '06-12-34-56-78', '0612345678', '+33 6 12 34 56 78'],
    ['00 12 34 56 78', '06 12 34 56 7', '6 12 34 56 78', '03-1234-5678', '06 12.34 56 78'],
  ],
  PHONE_NUMBER_INTERNATIONAL: [
    ['+33 6 12 34 56 78', '+49 30 1234567', '+91 98765 43210', '+49 (0)30 1234567'],
    ['33 6 12 34 56 78', '+33 6', '+1-ORDER-1234'],
  ],
  PHONE_NUMBER_NATIONAL: [
    ['030 12345678', '03-1234-5678', '(02) 9123 4567', '0412 345 678', '(11) 98765-4321'],
    ['01310-100', '112-4567890-1234567', '415-555-2671', '0012 3456 7890'],
  ],
  PHONE_NUMBER: [
    ['+14155552671', '(415) 555-2671', '030 12345678', '+44 20 7946 0958', '06 12 34 56 78'],
    ['ORD-2024-000123', '112-4567890-1234567', '2024-555-0001', '12345'],
  ],
  PHONE_COLUMN: [
    ['phone', 'mobile_number', 'Home_Phone', 'telephone2', 'fax'],
    ['is_mobile', 'phone_verified', 'headphones'],
  ],
  US_SSN: [
    ['123-45-6789', '536-22-8830', '536 22 8830'],
    ['000-12-3456', '666-45-6789', '123456789', '123-45-678', '123-45 6789'],
  ],
  CREDIT_CARD_NUMBER: [
    ['4111 1111 1111 1111', '5500-0000-0000-0004', '3782 822463 10005', '36700102000000', '4222222222222'],
    ['4111 1111 1111 1112', '1234567812345678', '4111-1111-1111', '490154203237518'],
  ],
  IBAN: [
    ['GB82 WEST 1234 5698 7654 32', 'DE89370400440532013000'],
    ['GB82 WEST 1234 5698 7654 33', 'DE8937040044053201300', 'gb82west12345698765432'],
  ],
  IPV4_ADDRESS: [
    ['192.168.0.1', '8.8.8.8', '255.255.255.255'],
    ['256.1.1.1', '1.2.3', '01.2.3.4'],
  ],
  IPV6_ADDRESS: [
    ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', 'fe80:0:0:0:1ff:fe23:4567:890a'],
    ['2001:db8::1', '12:30:00', '2001:0db8:85a3:0000:0000:8a2e:0370:7334:1'],
  ],
  IPV6_ADDRESS_COMPRESSED: [
    ['2001:db8::1', '::1', 'fe80::1ff:fe23:4567:890a'],
    ['12:30:00', '2001:db8:::1', 'ab:cd'],
  ],
  MAC_ADDRESS: [
    ['00:1A:2B:3C:4D:5E', '00-1a-2b-3c-4d-5e', '001a.2b3c.4d5e'],
    ['00:1A:2B:3C:4D', '00:1G:2B:3C:4D:5E', '001A2B3C4D5E'],
  ],
  URL: [
    ['https://example.com/path?q=1', 'http://localhost:8080', 'FTP://files.example.org/a.txt'],
    ['example.com', 'https://', 'see https://example.com for details'],
  ],
  UUID: [
    ['123e4567-e89b-12d3-a456-426614174000', 'f47ac10b-58cc-4372-a567-0e02b2c3d479'],
    [
      '123e4567e89b12d3a456426614174000',
      '123e4567-e89b-02d3-a456-426614174000',
      'g47ac10b-58cc-4372-a567-0e02b2c3d479',
    ],
  ],
  DATE_ISO: [
    ['1985-07-30', '2024-02-29'],
    ['1985-13-01', '85-07-30', '1985/07/30'],
  ],
  DATE_US: [
    ['7/30/1985', '12/31/2024'],
    ['13/30/1985', '30/07/1985', '7/30/85'],
  ],
  DATE_EU: [
    ['30.07.1985', '1/2/2000', '31/12/2024', '30-07-1985'],
    ['32.07.1985', '07.13.1985', '30.07.85'],
  ],
  DATE_TEXT: [
    ['30 July 1985', '30-Jul-1985', 'Jul 30, 1985', 'july 30th 1985', '1 Sept. 2001'],
    ['July 1985', '30 Julyx 1985', 'Jul 32, 1985', '30 July 85'],
  ],
  TIMESTAMP_ISO: [
    ['2024-05-01T13:45:00Z', '2024-05-01 13:45', '2024-05-01T13:45:00.123+02:00', '2024-05-01 13:45:00+00'],
    ['2024-05-01', '2024-05-01T25:00', '2024-05-01T13:45:00+2'],
  ],
  DATE_OF_BIRTH_COLUMN: [
    ['dob', 'date_of_birth', 'DateOfBirth', 'customer_birth_date'],
    ['dobson', 'created_date', 'birthplace'],
  ],
  AGE_COLUMN: [
    ['age', 'patient_age', 'AgeYears'],
    ['page', 'stage', 'agent_id'],
  ],
  FIRST_NAME: [
    ['James', 'priya', ' Chloé '],
    ['Smith', 'Jamesx', ''],
  ],
  LAST_NAME: [
    ['Smith', "o'brien", 'De Vries'],
    ['Priya', 'Smithy', '12345'],
  ],
  PERSON_NAME_COLUMN: [
    ['first_name', 'LastName', 'customer_full_name', 'surname', 'card_holder', 'customer_name'],
    ['file_name', 'username', 'name_space', 'name', 'holder_type'],
  ],
  STREET_ADDRESS: [
    [
      '221B Baker Street',
      '1600 Pennsylvania Ave.',
      '42 Wallaby Way',
      '1234 Maple Street, Apt 12',
      '500 W 5th Ave NW',
      '123, MG Road',
      '12 rue de la Paix',
      'Calle Mayor 5',
      'Rua Augusta, 1234',
      'Hauptstraße 5',
      'Berliner Straße 12a',
      'Via Roma, 10',
      'Keizersgracht 123',
    ],
    [
      'Baker Street',
      '221B Baker',
      'Street 221B',
      'rue de la Paix',
      'Hauptstraße',
      '2 Way Radio',
      '5 stars, would buy again',
    ],
  ],
  ADDRESS_COLUMN: [
    ['address', 'home_address', 'address_line1', 'Street', 'shipping_addr'],
    ['email_address', 'ip_address', 'mac_addr'],
  ],
  US_ZIP_CODE: [
    ['94105', '94105-1234'],
    ['9410', '941051234', '94105-12'],
  ],
  POSTAL_CODE_COLUMN: [
    ['postal_code', 'zip', 'billing_zipcode', 'PostCode', 'plz'],
    ['zipper_color', 'postal_address', 'zip_file'],
  ],
  UK_POSTCODE: [
    ['SW1A 1AA', 'EC1A1BB', 'm1 1ae'],
    ['SW1A 1AI', '12345', 'AB12 3CK', 'SKU 1AB'],
  ],
  CANADA_POSTAL_CODE: [
    ['K1A 0B1', 'm5v3l9'],
    ['D1A 1A1', 'K1A 0B', '123 456'],
  ],
  COUNTRY_NAME: [
    ['France', 'united states', ' Viet Nam'],
    ['Frankreich', 'Paris', 'FR'],
  ],
  COUNTRY_CODE_ALPHA2: [
    ['FR', 'US'],
    ['fr', 'XX', 'FRA'],
  ],
  COUNTRY_CODE_ALPHA3: [
    ['FRA', 'USA'],
    ['fra', 'ABC', 'FR'],
  ],
  GENDER: [
    ['Female', 'M', 'non-binary'],
    ['fem', 'yes', '0'],
  ],
  US_PASSPORT: [
    ['A12345678', 'Z98765432'],
    ['123456789', 'AB1234567', '12345678', 'A1234567B', 'A-12345678'],
  ],
  PASSPORT_COLUMN: [
    ['passport', 'passport_number', 'guest_passport_no', 'PassportNo'],
    ['passport_expiry', 'passport_country', 'passports_issued'],
  ],
  UK_NATIONAL_INSURANCE_NUMBER: [
    ['AB 12 34 56 C', 'ce123456a'],
    ['QQ 12 34 56 C', 'BG123456A', 'AB123456E'],
  ],
  CANADA_SIN: [
    ['130 692 544', '130-692-544'],
    ['130 692 545', '046 454 286', '130692 54'],
  ],
  AUSTRALIA_TAX_FILE_NUMBER: [
    ['123 456 782', '876543210'],
    ['123 456 783', '12 345 678'],
  ],
  AUSTRALIA_MEDICARE_NUMBER: [
    ['2123 45670 1', '2428778132'],
    ['2123 45671 1', '7123 45670 1'],
  ],
  INDIA_AADHAAR: [
    ['2341 2341 2346', '234123412346'],
    ['2341 2341 2347', '1341 2341 2346'],
  ],
  INDIA_PAN: [
    ['ABCPE1234F', 'AAACB1234C'],
    ['ABCXE1234F', 'ABCPE12345', 'abcpe1234f'],
  ],
  BRAZIL_CPF: [
    ['529.982.247-25', '52998224725'],
    ['529.982.247-26', '111.111.111-11'],
  ],
  ARGENTINA_DNI_NUMBER: [
    ['12.345.678', '1.234.567'],
    ['12345678', '999.999', '0.999.999'],
  ],
  BELGIUM_NATIONAL_NUMBER: [
    ['85.07.30-033.28', '93051822361'],
    ['85.07.30-033.29', '85.07.30-033.2'],
  ],
  FRANCE_NIR: [
    ['2 55 08 14 168 025 38', corsicanNir],
    ['2 55 08 14 168 025 39', '9 55 08 14 168 025 38'],
  ],
  GERMANY_TAX_ID: [
    ['86095742719', '65 929 970 489'],
    ['86095742718', '12345678903'],
  ],
  SPAIN_DNI_NIE: [
    ['12345678Z', 'X1234567L', '12345678-z'],
    ['12345678A', 'W1234567L'],
  ],
  ITALY_CODICE_FISCALE: [
    ['RSSMRA85T10A562S', 'rssmra85t10a562s'],
    ['RSSMRA85T10A562T', 'RSSMRA85T10A562'],
  ],
  MEXICO_CURP: [
    ['PEGJ900512HJCRRS04', 'HEGG560427MVZRRL04'],
    ['PEGJ900512HJCRRS05', 'PEGJ901312HJCRRS04'],
  ],
  NATIONAL_ID_COLUMN: [
    ['ssn', 'ssn_or_national_id', 'national_insurance_number', 'customer_cpf', 'TaxId'],
    ['session_id', 'design', 'nationality', 'dnis'],
  ],
  AWS_ACCESS_KEY_ID: [
    ['AKIAIOSFODNN7EXAMPLE', 'ASIAY34FZKBOKMUTVV7A'],
    ['AKIAIOSFODNN7EXAMPL', 'AKIAiosfodnn7example', 'XKIAIOSFODNN7EXAMPLE'],
  ],
  JSON_WEB_TOKEN: [
    [
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.',
    ],
    ['eyJhbGciOiJIUzI1NiJ9', 'abc.def.ghi', 'eyJhbGci OiJ.eyJzdWIi.sig'],
  ],
  API_KEY: [
    [
      `sk_test_${'x'.repeat(24)}`,
      `ghp_${'a1'.repeat(18)}`,
      `AIza${'b'.repeat(35)}`,
      'xoxb-1234567890-abcdef',
      `sk-proj-${'A1b2'.repeat(12)}`,
      `glpat-${'x'.repeat(20)}`,
    ],
    ['sk_live_short', 'ghp_abc', 'password123'],
  ],
  SECRET_COLUMN: [
    ['api_key', 'ClientSecret', 'github_access_token'],
    ['secretary', 'tokenizer', 'key'],
  ],
  PASSWORD_COLUMN: [
    ['password', 'user_password_hash', 'pwd'],
    ['passport', 'bypass', 'compass'],
  ],
};

const matches = (identifier: Identifier, input: string): boolean =>
  identifier.kind === 'columnName' ? matchColumnName(identifier, input) : matchValue(identifier, input);

/** Returns the pattern with escapes and bracket expressions replaced by a placeholder atom. */
const atoms = (pattern: string): string => pattern.replace(/\\./g, 'x').replace(/\[(?:\^)?\]?[^\]]*\]/g, 'x');

/** Returns whether a group quantified by *, + or {n,m>1} contains another quantifier (possible blow-up). */
function hasNestedRepetition(pattern: string): boolean {
  const s = atoms(pattern);
  const stack: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') stack.push(i);
    else if (s[i] === ')') {
      const start = stack.pop() ?? 0;
      const inner = s.slice(start + 1, i).replace(/^\?:/, '');
      const after = s.slice(i + 1);
      const repeats = /^(?:[*+]|\{[0-9]+,(?:[0-9]*)\}|\{([2-9]|[1-9][0-9]+)\})/.exec(after);
      const bounded = /^\{([0-9]+),([0-9]+)\}/.exec(after);
      const multi = repeats !== null && !(bounded !== null && Number(bounded[2]) <= 1);
      if (multi && /[*+?{]/.test(inner)) return true;
    }
  }
  return false;
}

/** Returns whether the pattern has a `|` outside any group, which would defeat `^...$` anchoring. */
const hasTopLevelAlternation = (pattern: string): boolean => {
  let depth = 0;
  for (const c of atoms(pattern)) {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
};

describe('built-in identifiers', () => {
  for (const identifier of BUILTIN_IDENTIFIERS) {
    it(`${identifier.id} matches its true examples and rejects its false ones`, () => {
      const examples = EXAMPLES[identifier.id];
      assert.ok(examples, `no examples for ${identifier.id}`);
      const [yes, no] = examples;
      assert.ok(yes.length >= 2 && no.length >= 2);
      for (const value of yes)
        assert.equal(matches(identifier, value), true, `${identifier.id} should match ${value}`);
      for (const value of no)
        assert.equal(matches(identifier, value), false, `${identifier.id} should not match ${value}`);
    });
  }

  it('has at least 40 identifiers with unique ids and examples for each', () => {
    assert.ok(BUILTIN_IDENTIFIERS.length >= 40);
    const ids = BUILTIN_IDENTIFIERS.map((i) => i.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(Object.keys(EXAMPLES).sort(), [...ids].sort());
  });

  it('anchors and compiles every pattern in the portable JavaScript / PostgreSQL subset', () => {
    for (const { id, kind, pattern, caseInsensitive, values } of BUILTIN_IDENTIFIERS) {
      if (kind === 'dictionary') {
        assert.equal(pattern, '', id);
        assert.ok((values?.length ?? 0) > 0, id);
        continue;
      }
      assert.ok(pattern.startsWith('^') && pattern.endsWith('$'), `${id} is not anchored`);
      assert.equal(hasTopLevelAlternation(pattern), false, `${id} has a top-level alternation`);
      assert.doesNotThrow(() => new RegExp(pattern, caseInsensitive ? 'iu' : 'u'), id);
      assert.doesNotMatch(pattern, /\\[dDwWsSbB1-9]|\(\?[=!<]/, `${id} uses non-portable syntax`);
      for (const [, bound] of pattern.matchAll(/\{(?:[0-9]+,)?([0-9]+)\}/g))
        assert.ok(Number(bound) <= 255, id);
      assert.equal(hasNestedRepetition(pattern), false, `${id} repeats a group that contains a quantifier`);
    }
  });

  it('flags identifiers with a validator as not evaluable in the platform and tags under Discovered', () => {
    for (const identifier of BUILTIN_IDENTIFIERS) {
      assert.equal(identifier.inPlatform, identifier.validator === undefined, identifier.id);
      assert.ok(identifier.tags.length > 0, identifier.id);
      for (const tag of identifier.tags)
        assert.match(tag, /^Discovered\.(?:Entity|Country)\.[^.]+$/, identifier.id);
      assert.ok(Object.isFrozen(identifier) && Object.isFrozen(identifier.tags), identifier.id);
    }
  });

  it('documents every built-in identifier with its pattern in docs/discovery.md', () => {
    const doc = readFileSync(new URL('../../docs/discovery.md', import.meta.url), 'utf8');
    for (const { id, kind, pattern } of BUILTIN_IDENTIFIERS) {
      assert.ok(doc.includes(`| \`${id}\` |`), `${id} has no row`);
      if (kind !== 'dictionary')
        assert.ok(doc.replaceAll('\\|', '|').includes(pattern), `${id}'s pattern is out of date`);
    }
  });

  it('keeps value and column-name matching apart', () => {
    const email = BUILTIN_IDENTIFIERS.find((i) => i.id === 'EMAIL_ADDRESS')!;
    const password = BUILTIN_IDENTIFIERS.find((i) => i.id === 'PASSWORD_COLUMN')!;
    assert.equal(matchColumnName(email, 'jane@example.com'), false);
    assert.equal(matchValue(password, 'password'), false);
  });

  it('rejects or accepts 10,000-character hostile strings without catastrophic backtracking', () => {
    const units = [
      '0',
      '9',
      'a',
      'A',
      'Z',
      '.',
      '-',
      ' ',
      ':',
      '@',
      '/',
      '_',
      '+',
      'eyJ',
      'http://',
      '1.',
      'ab:',
    ];
    const unbounded = new Set(['URL', 'JSON_WEB_TOKEN']);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...units), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('', '!', '$'),
        (parts, tail) => {
          const unit = parts.join('');
          const hostile = unit.repeat(Math.ceil(10_000 / unit.length)).slice(0, 10_000) + tail;
          for (const identifier of BUILTIN_IDENTIFIERS) {
            const result = matches(identifier, hostile);
            if (!unbounded.has(identifier.id)) assert.equal(result, false, identifier.id);
            else assert.equal(typeof result, 'boolean');
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
