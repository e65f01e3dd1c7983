import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cccControlDigits, myNumberCheckDigit, ribKey } from '../../src/demo/checksums.ts';
import {
  cpfCheckDigits,
  curpCheckDigit,
  dniLetter,
  ibanCheckDigits,
  isLuhnValid,
  isVerhoeffValid,
  luhnCheckDigit,
  mod11_10CheckDigit,
  mod97,
  nirKey,
  verhoeffCheckDigit,
} from '../../src/discovery/check-digits.ts';
import { isIban } from '../../src/discovery/validators.ts';

const digitString = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((ds) => ds.join(''));

/** Replaces the digit at `index` by another digit. */
const alter = (s: string, index: number, by: number): string =>
  s.slice(0, index) + String((Number(s[index]) + by) % 10) + s.slice(index + 1);

describe('Luhn', () => {
  it('accepts published valid numbers and rejects a one-digit change', () => {
    for (const valid of [
      '79927398713',
      '4111111111111111',
      '5555555555554444',
      '378282246310005',
      '046454286',
    ]) {
      assert.ok(isLuhnValid(valid), valid);
    }
    assert.equal(isLuhnValid('79927398710'), false);
    assert.equal(luhnCheckDigit('7992739871'), '3');
  });

  it('detects every single-digit error in a number it completed', () => {
    fc.assert(
      fc.property(digitString(1, 30), fc.nat(), fc.integer({ min: 1, max: 9 }), (payload, at, by) => {
        const number = payload + luhnCheckDigit(payload);
        assert.ok(isLuhnValid(number));
        assert.equal(isLuhnValid(alter(number, at % number.length, by)), false);
      }),
    );
  });
});

describe('mod 97 and IBAN', () => {
  it('computes remainders of numbers longer than a double holds', () => {
    assert.equal(mod97('3214282912345698765432161182'), 1);
    assert.equal(mod97('97'), 0);
    assert.equal(mod97('123456789012345678901234567890'), Number(123456789012345678901234567890n % 97n));
  });

  it('accepts published IBANs of each demo country and rejects a changed one', () => {
    const valid = [
      'GB82WEST12345698765432',
      'DE89370400440532013000',
      'FR1420041010050500013M02606',
      'NL91ABNA0417164300',
      'ES91 2100 0418 4502 0005 1332',
    ];
    for (const iban of valid) assert.ok(isIban(iban), iban);
    assert.equal(isIban('GB82WEST12345698765431'), false);
    assert.equal(isIban('GB82'), false);
    assert.equal(ibanCheckDigits('DE', '370400440532013000'), '89');
  });

  it('makes IBANs that pass, and fail after any single-digit change', () => {
    fc.assert(
      fc.property(digitString(18, 18), fc.nat(), fc.integer({ min: 1, max: 9 }), (bban, at, by) => {
        const iban = `DE${ibanCheckDigits('DE', bban)}${bban}`;
        assert.ok(isIban(iban));
        assert.equal(isIban(`DE${alter(iban.slice(2), at % 20, by)}`), false);
      }),
    );
  });

  it('computes the French RIB key and Spanish CCC control digits of published accounts', () => {
    assert.equal(ribKey('20041', '01005', '0500013M026'), '06');
    assert.equal(cccControlDigits('2100', '0418', '0200051332'), '45');
  });
});

describe('national identifier check digits', () => {
  it('match published examples', () => {
    assert.equal(mod11_10CheckDigit('3657426180'), '9'); // German Steuer-ID 36 574 261 809
    assert.equal(verhoeffCheckDigit('236'), '3');
    assert.ok(isVerhoeffValid('234123412346')); // Aadhaar
    assert.equal(isVerhoeffValid('234123412347'), false);
    assert.equal(cpfCheckDigits('390533447'), '05'); // CPF 390.533.447-05
    assert.equal(myNumberCheckDigit('62149832025'), '7'); // My Number 6214 9832 0257
    assert.equal(dniLetter('54362315'), 'K');
    assert.equal(nirKey('2951099126111'), '93'); // NIR 2 95 10 99 126 111 93
    assert.equal(curpCheckDigit('BOXW310820HNERXN0'), '9');
  });

  it('Verhoeff detects every single-digit error and adjacent transposition', () => {
    fc.assert(
      fc.property(digitString(2, 20), fc.nat(), fc.integer({ min: 1, max: 9 }), (payload, at, by) => {
        const number = payload + verhoeffCheckDigit(payload);
        assert.ok(isVerhoeffValid(number));
        assert.equal(isVerhoeffValid(alter(number, at % number.length, by)), false);
        const i = at % (number.length - 1);
        const swapped = number.slice(0, i) + number[i + 1] + number[i] + number.slice(i + 2);
        if (swapped !== number) assert.equal(isVerhoeffValid(swapped), false);
      }),
    );
  });
});
