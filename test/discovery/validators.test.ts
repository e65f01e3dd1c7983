import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  cpfCheckDigits,
  curpCheckDigit,
  dniLetter,
  ibanCheckDigits,
  luhnCheckDigit,
  mod11_10CheckDigit,
  mod97,
  nirKey,
  verhoeffCheckDigit,
} from '../../src/discovery/check-digits.ts';
import { VALIDATORS, type ValidatorName } from '../../src/discovery/validators.ts';

const belgian = (nine: string, born2000: boolean): string => {
  const key = String(97 - mod97(born2000 ? `2${nine}` : nine)).padStart(2, '0');
  return `${nine.slice(0, 2)}.${nine.slice(2, 4)}.${nine.slice(4, 6)}-${nine.slice(6)}.${key}`;
};
const corsicanNir = (thirteen: string): string =>
  thirteen.replace(/^(.{5})19/, '$12A') + String(97 - mod97(thirteen)).padStart(2, '0');

// Valid examples are published test numbers where one exists, otherwise built with the algorithm.
const CASES: Readonly<Record<ValidatorName, { valid: readonly string[]; invalid: readonly string[] }>> = {
  luhn: {
    valid: ['79927398713', '4539 3195 0343 6467'],
    invalid: ['79927398710', '1234567812345678', 'abc'],
  },
  creditCard: {
    valid: ['4111 1111 1111 1111', '5500-0000-0000-0004', '378282246310005', '6011111111111117'],
    invalid: ['4111111111111112', '1111111111111117', '41111111111', '9111111111111111'],
  },
  canadianSin: {
    valid: ['130 692 544', `1234567${'8'}${luhnCheckDigit('12345678')}`],
    invalid: ['046 454 286', '130 692 545', '813 692 540', '12345678'],
  },
  iban: {
    valid: [
      'GB82 WEST 1234 5698 7654 32',
      'DE89370400440532013000',
      `FR${ibanCheckDigits('FR', '30006000011234567890189')}30006000011234567890189`,
    ],
    invalid: ['GB82 WEST 1234 5698 7654 33', 'DE8937040044053201300', 'XX00', 'DE00370400440532013000'],
  },
  belgianNationalNumber: {
    valid: ['85.07.30-033.28', '93.05.18-223.61', belgian('170504123', true)],
    invalid: [
      '85.07.30-033.29',
      '8507300332',
      belgian('170504123', true).replace(/..$/, (k) => String((Number(k) + 1) % 100).padStart(2, '0')),
    ],
  },
  frenchNir: {
    valid: ['2 55 08 14 168 025 38', '184127645108946', corsicanNir('1850719012345')],
    invalid: ['2 55 08 14 168 025 39', '555081416802538', '1850720A12345' + '00'],
  },
  aadhaar: {
    valid: ['2341 2341 2346', `98765432101${verhoeffCheckDigit('98765432101')}`],
    invalid: ['2341 2341 2347', '1341 2341 2346', '23412341234'],
  },
  brazilianCpf: {
    valid: ['529.982.247-25', `123456789${cpfCheckDigits('123456789')}`],
    invalid: ['529.982.247-26', '111.111.111-11', '5299822472'],
  },
  mexicanCurp: {
    valid: [
      'PEGJ900512HJCRRS04',
      'HEGG560427MVZRRL04',
      `GOME800101MDFMRR0${curpCheckDigit('GOME800101MDFMRR0')}`,
    ],
    invalid: ['PEGJ900512HJCRRS05', 'HEGG560427MVZRRL0', 'pegj9005-12HJCRRS04'],
  },
  spanishDniNie: {
    valid: ['12345678Z', 'X1234567L', 'Y1234567X', 'z1234567r', `87654321-${dniLetter('87654321')}`],
    invalid: ['12345678A', 'X1234567M', 'W1234567L', 'X12345678L'],
  },
  italianCodiceFiscale: {
    valid: ['RSSMRA85T10A562S', 'rssmra85t10a562s', 'RSSMRA85T10A56NH'],
    invalid: ['RSSMRA85T10A562T', 'RSSMRA85Z10A562S', 'RSSMRA85T10A562'],
  },
  germanTaxId: {
    valid: ['86095742719', '47036892816', '65 929 970 489', `3303124567${mod11_10CheckDigit('3303124567')}`],
    invalid: [
      '86095742718',
      '06095742719',
      '12345678903',
      `1112345678${mod11_10CheckDigit('1112345678')}`,
      `1234567890${mod11_10CheckDigit('1234567890')}`,
      `3331245678${mod11_10CheckDigit('3331245678')}`,
    ],
  },
  australianTfn: {
    valid: ['123 456 782', '876 543 210', '12345677'],
    invalid: ['123 456 783', '12345678', '1234567'],
  },
  australianMedicare: {
    valid: ['2123 45670 1', '2428 77813 2', '2123456701/3'],
    invalid: ['2123 45671 1', '1123 45670 1', '2123 45670 0', '7123456701'],
  },
  ukNino: {
    valid: ['AB 12 34 56 C', 'ce123456a', 'JG103759A'],
    invalid: ['QQ 12 34 56 C', 'BG123456A', 'AO123456A', 'AB123456E', 'AB12345C'],
  },
  usSsn: {
    valid: ['123-45-6789', '001-01-0001', '899-99-9999'],
    invalid: [
      '000-12-3456',
      '666-12-3456',
      '900-12-3456',
      '123-00-4567',
      '123-45-0000',
      '078-05-1120',
      '12-345-67',
    ],
  },
  argentineDni: {
    valid: ['12.345.678', '1.234.567', '95123456'],
    invalid: ['999.999', '123456789', '12,345,678'],
  },
  ipv6: {
    valid: ['2001:db8::1', '::1', 'fe80::1ff:fe23:4567:890a', '2001:0db8:85a3:0000:0000:8a2e:0370:7334'],
    invalid: ['12:30:00', '2001:db8:::1', 'g::1', '1:2:3:4:5:6:7:8:9'],
  },
};

describe('discovery validators', () => {
  for (const name of Object.keys(VALIDATORS) as ValidatorName[]) {
    const { valid, invalid } = CASES[name];
    it(`${name} accepts valid numbers and rejects invalid ones`, () => {
      for (const value of valid)
        assert.equal(VALIDATORS[name](value), true, `${name} should accept ${value}`);
      for (const value of invalid)
        assert.equal(VALIDATORS[name](value), false, `${name} should reject ${value}`);
    });
  }

  it('has a case table for every validator', () => {
    assert.deepEqual(Object.keys(CASES).sort(), Object.keys(VALIDATORS).sort());
  });

  it('accepts every card-like number completed with its Luhn digit and rejects any other last digit', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^4[0-9]{14}$/), fc.integer({ min: 1, max: 9 }), (payload, shift) => {
        const check = Number(luhnCheckDigit(payload));
        assert.equal(VALIDATORS.creditCard(`${payload}${check}`), true);
        assert.equal(VALIDATORS.creditCard(`${payload}${(check + shift) % 10}`), false);
      }),
    );
  });

  it('accepts every NIR built with its key and rejects any other key', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[12][0-9]{12}$/),
        fc.integer({ min: 1, max: 96 }),
        (thirteen, shift) => {
          const key = Number(nirKey(thirteen));
          assert.equal(VALIDATORS.frenchNir(`${thirteen}${String(key).padStart(2, '0')}`), true);
          const wrong = ((key - 1 + shift) % 97) + 1;
          assert.equal(VALIDATORS.frenchNir(`${thirteen}${String(wrong).padStart(2, '0')}`), false);
        },
      ),
    );
  });

  it('detects every single-digit substitution in an Aadhaar number', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[2-9][0-9]{10}$/),
        fc.nat(10),
        fc.integer({ min: 1, max: 9 }),
        (payload, at, shift) => {
          const valid = payload + verhoeffCheckDigit(payload);
          assert.equal(VALIDATORS.aadhaar(valid), true);
          const digit = (Number(valid[at]) + shift) % 10;
          const changed = valid.slice(0, at) + String(digit) + valid.slice(at + 1);
          if (/^[2-9]/.test(changed)) assert.equal(VALIDATORS.aadhaar(changed), false);
        },
      ),
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (value) => {
        for (const validator of Object.values(VALIDATORS)) assert.equal(typeof validator(value), 'boolean');
      }),
    );
  });
});
