import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BUILTIN_IDENTIFIERS } from '../../src/discovery/builtin-identifiers.ts';
import { caseFoldedPattern, parsePattern, patternGuards } from '../../src/discovery/pattern.ts';

const ok = (source: string, options?: { anchor?: boolean }) => {
  const parsed = parsePattern(source, options);
  assert.ok(parsed.ok, `${source}: ${parsed.ok ? '' : parsed.message}`);
  return parsed;
};

/** Source, canonical form, minLength, maxLength. */
const ACCEPTED: ReadonlyArray<readonly [string, string, number, number | null]> = [
  ['abc', '^abc$', 3, 3],
  ['^abc$', '^abc$', 3, 3],
  ['^abc', '^abc$', 3, 3],
  ['a|bc', '^(?:a|bc)$', 1, 2],
  ['^(?:a|bc)$', '^(?:a|bc)$', 1, 2],
  ['\\d{3}-\\d{2}', '^[0-9]{3}-[0-9]{2}$', 6, 6],
  ['\\w+', '^[A-Za-z0-9_]+$', 1, null],
  ['\\s?x', '^[ \\t\\n\\r\\f\\v]?x$', 1, 2],
  ['\\D\\S\\W', '^[^0-9][^ \\t\\n\\r\\f\\v][^A-Za-z0-9_]$', 3, 3],
  ['a.c', '^a[^\\n\\r\\u2028\\u2029]c$', 3, 3],
  ['(ab)?c', '^(?:ab)?c$', 1, 3],
  ['[\\d.-]{1,4}', '^[0-9.-]{1,4}$', 1, 4],
  ['[-a]', '^[-a]$', 1, 1],
  ['[a\\-z]', '^[a\\-z]$', 1, 1],
  ['[[]', '^[\\[]$', 1, 1],
  ['[\\]x]', '^[\\]x]$', 1, 1],
  ['[^\\D]', '^[0-9]$', 1, 1],
  ['[\\s\\S]', '^[\\u0000-\\uffff]$', 1, 1],
  ['\\x41\\u00e9', '^Aé$', 2, 2],
  ['\\-\\/\\@', '^-/@$', 3, 3],
  ['a\\.b\\+\\(\\)\\*\\?\\$\\^\\|\\\\', '^a\\.b\\+\\(\\)\\*\\?\\$\\^\\|\\\\$', 12, 12],
  ['}', '^\\}$', 1, 1],
  [']', '^\\]$', 1, 1],
  ['a{2,}', '^a{2,}$', 2, null],
  ['a{0,1}b{1,}c{0,}d{3,3}', '^a?b+c*d{3}$', 4, null],
  ['(?:[0-9]{3}-){2}[0-9]{4}', '^(?:[0-9]{3}-){2}[0-9]{4}$', 12, 12],
  ['(?:ab|cd)+', '^(?:ab|cd)+$', 2, null],
  ['a\tb', '^a\\tb$', 3, 3],
  ['', '^$', 0, 0],
  ['a|', '^(?:a|)$', 0, 1],
  ['x{255}', '^x{255}$', 255, 255],
];

/** Source, what the refusal says, and where. */
const REFUSED: ReadonlyArray<readonly [string, RegExp, number]> = [
  ['(?=a)b', /lookahead/i, 0],
  ['a(?!b)', /lookahead/i, 1],
  ['(?<=a)b', /lookbehind/i, 0],
  ['(?<!a)b', /lookbehind/i, 0],
  ['(a)\\1', /backreference/i, 3],
  ['(?<n>a)', /named group/i, 0],
  ['\\k<n>', /named backreference/i, 0],
  ['a*?', /lazy/i, 2],
  ['a+?', /lazy/i, 2],
  ['a{1,3}?', /lazy/i, 6],
  ['a++', /possessive/i, 2],
  ['\\p{L}', /property/i, 0],
  ['\\bword', /boundar/i, 0],
  ['[\\b]', /backspace/i, 1],
  ['(?i)abc', /inline flags/i, 0],
  ['a^b', /anchor \^/i, 1],
  ['a$b', /anchor \$/i, 1],
  ['(a$)', /anchor \$/i, 2],
  ['^a|b$', /top-level alternation/i, 0],
  ['a{256}', /255/, 1],
  ['a{3,2}', /out of order/i, 1],
  ['(a+)+', /nested quantifier/i, 4],
  ['(a*)*', /empty string/i, 4],
  ['(.*)*', /empty string/i, 4],
  ['(a|aa)*', /same character/i, 6],
  ['(?:ab?)+', /nested quantifier/i, 7],
  ['(?:[a-z]{2,3}){2}', /nested quantifier/i, 14],
  ['\\w+\\s*\\w+\\s*\\w+', /polynomial/i, 14],
  ['*a', /nothing to repeat/i, 0],
  ['a**', /another quantifier/i, 2],
  ['a{2}{3}', /another quantifier/i, 4],
  ['{', /literal \{/i, 0],
  ['a{,3}', /literal \{/i, 1],
  ['(ab', /unterminated group/i, 0],
  ['ab)', /unmatched/i, 2],
  ['[ab', /unterminated character class/i, 0],
  ['[]', /empty classes/i, 0],
  ['[^]', /empty classes/i, 0],
  ['[z-a]', /out of order/i, 1],
  ['[a-\\d]', /range/i, 1],
  ['\\q', /escape \\q/i, 0],
  ['\\0', /NUL/, 0],
  ['\\x4', /hexadecimal/i, 0],
  ['ab\\', /lone backslash/i, 2],
  ['\\é', /ASCII/, 0],
  ['😀', /Basic Multilingual Plane/, 0],
  ['[\\uD800-\\uDBFF]', /surrogate/i, 0],
  ['[\\u0100-\\uFFFC]', /surrogate/i, 0],
  ['(?:[a-z]{100}){200}', /too large/i, 0],
  ['x'.repeat(4001), /limited to 4000/, -1],
];

describe('parsePattern', () => {
  for (const [source, canonical, min, max] of ACCEPTED) {
    it(`accepts ${JSON.stringify(source)} as ${canonical}`, () => {
      assert.deepEqual(parsePattern(source), { ok: true, canonical, minLength: min, maxLength: max });
    });
  }

  for (const [source, message, at] of REFUSED) {
    it(`refuses ${JSON.stringify(source.slice(0, 30))}: ${message.source}`, () => {
      const parsed = parsePattern(source);
      assert.equal(parsed.ok, false);
      if (parsed.ok) return;
      assert.match(parsed.message, message);
      assert.equal(parsed.at, at === -1 ? undefined : at);
    });
  }

  it('keeps anchors as written without anchor, with a bound only when both are present', () => {
    assert.deepEqual(ok('name', { anchor: false }), {
      ok: true,
      canonical: 'name',
      minLength: 4,
      maxLength: null,
    });
    assert.deepEqual(ok('^name', { anchor: false }), {
      ok: true,
      canonical: '^name',
      minLength: 4,
      maxLength: null,
    });
    assert.deepEqual(ok('^na|me$', { anchor: false }), {
      ok: true,
      canonical: '^na|me$',
      minLength: 2,
      maxLength: null,
    });
    assert.deepEqual(ok('^name$', { anchor: false }), {
      ok: true,
      canonical: '^name$',
      minLength: 4,
      maxLength: 4,
    });
  });

  it('gives \\s the ASCII whitespace values are trimmed of, narrower than JavaScript on purpose', () => {
    const canonical = new RegExp(ok('\\s').canonical);
    assert.equal(canonical.test('\u00a0'), false);
    assert.equal(/^\s$/.test('\u00a0'), true);
    for (const c of ' \t\n\r\f\v') assert.equal(canonical.test(c), true);
  });

  it('leaves every built-in pattern unchanged and bounds the length of its sample matches', () => {
    for (const identifier of BUILTIN_IDENTIFIERS) {
      if (identifier.kind === 'dictionary') continue;
      const parsed = ok(identifier.pattern, { anchor: identifier.kind === 'valueRegex' });
      assert.equal(parsed.canonical, identifier.pattern, identifier.id);
      assert.ok(parsed.minLength >= 1, identifier.id);
    }
    const samples: Record<string, string[]> = {
      EMAIL_ADDRESS: ['a@b.co', 'jane.doe+tag@mail.example.museum'],
      US_SSN: ['123-45-6789'],
      UUID: ['123e4567-e89b-42d3-a456-426614174000'],
      IPV4_ADDRESS: ['1.2.3.4', '255.255.255.255'],
      IPV6_ADDRESS: ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', '1:2:3:4:5:6:7:8'],
      DATE_ISO: ['2024-02-29'],
      AWS_ACCESS_KEY_ID: ['AKIAIOSFODNN7EXAMPLE'],
    };
    for (const [id, values] of Object.entries(samples)) {
      const identifier = BUILTIN_IDENTIFIERS.find((i) => i.id === id);
      if (!identifier) continue;
      const parsed = ok(identifier.pattern);
      const regex = new RegExp(parsed.canonical, identifier.caseInsensitive ? 'i' : '');
      for (const value of values) {
        assert.ok(regex.test(value), `${id} ${value}`);
        assert.ok(value.length >= parsed.minLength && value.length <= (parsed.maxLength ?? Infinity), value);
      }
    }
  });

  it('spells out case variants as JavaScript folds them: ſ and the Kelvin sign stay apart', () => {
    const folded = caseFoldedPattern('[k-s]+é');
    assert.ok(folded.ok);
    const re = new RegExp(folded.canonical);
    const js = /^(?:[k-s]+é)$/i;
    for (const value of ['kSé', 'KsÉ', '\u212Aé', '\u017Fé', 'mnoé', 'MNOÉ']) {
      assert.equal(re.test(value), js.test(value), value);
    }
    assert.equal(re.test('\u212Aé'), false);
    assert.equal(re.test('\u017Fé'), false);
    assert.deepEqual(caseFoldedPattern('[À-ÿ]'), {
      ok: true,
      canonical: '^[À-ÿŸ]$',
      minLength: 1,
      maxLength: 1,
    });
  });

  it('names the characters a match starts with, ends with and must contain', () => {
    const guards = patternGuards('^(?:ab|c)[0-9]*@x$');
    assert.ok(guards);
    assert.deepEqual(guards.first, [
      [97, 97],
      [99, 99],
    ]);
    assert.deepEqual(guards.last, [[120, 120]]);
    assert.deepEqual(guards.required, ['@', 'x']);
    assert.deepEqual(patternGuards('^x$', { caseInsensitive: true })?.required, []);
    assert.equal(patternGuards('(a+)+'), undefined);
  });
});

/** A generated pattern: its source in JavaScript syntax and strings it matches. */
interface Gen {
  readonly src: string;
  readonly sample: fc.Arbitrary<string>;
}

const LITERALS = [...'abkKsS09-. @/_éÉßſ\u212AÿŸµμΜ(+'];
const ALPHABET = [...LITERALS, '\n', '\t', '\r', '\u2028', 'x', 'Z', 'y', '😀'];
const META = new Set('\\^$.|?*+()[]{}');
const escapeChar = (c: string): string => (META.has(c) ? `\\${c}` : c);
const escapeInClass = (c: string): string => ('\\]^-['.includes(c) ? `\\${c}` : c);

const literal: fc.Arbitrary<Gen> = fc.constantFrom(...LITERALS).map((c) => ({
  src: escapeChar(c),
  sample: fc.constant(c),
}));

const shorthand: fc.Arbitrary<Gen> = fc.constantFrom<Gen>(
  { src: '\\d', sample: fc.constantFrom(...'0123456789') },
  { src: '\\w', sample: fc.constantFrom(...'azAZ09_') },
  { src: '\\s', sample: fc.constantFrom(...' \t\n\r\f\v') },
  {
    src: '.',
    sample: fc.constantFrom(...ALPHABET.filter((c) => !'\n\r\u2028'.includes(c) && c.length === 1)),
  },
  { src: '\\D', sample: fc.constantFrom('a', 'é', '-') },
  { src: '\\W', sample: fc.constantFrom('-', ' ', 'é') },
);

const charClass: fc.Arbitrary<Gen> = fc
  .tuple(fc.uniqueArray(fc.constantFrom(...LITERALS), { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([members, negated]) => {
    const outside = ALPHABET.filter((c) => c.length === 1 && !members.includes(c));
    return {
      src: `[${negated ? '^' : ''}${members.map(escapeInClass).join('')}]`,
      sample: fc.constantFrom(...(negated ? outside : members)),
    };
  });

const atom: fc.Arbitrary<Gen> = fc.oneof(literal, shorthand, charClass);

const quantified = (g: fc.Arbitrary<Gen>, loops: boolean): fc.Arbitrary<Gen> =>
  fc.tuple(g, fc.constantFrom('', '', '?', '{2}', ...(loops ? ['*', '+', '{1,3}'] : []))).map(([a, q]) => {
    const [min, max] =
      q === '?'
        ? [0, 1]
        : q === '{2}'
          ? [2, 2]
          : q === '*'
            ? [0, 4]
            : q === '+'
              ? [1, 4]
              : q === '{1,3}'
                ? [1, 3]
                : [1, 1];
    return {
      src: a.src + q,
      sample: fc.array(a.sample, { minLength: min, maxLength: max }).map((parts) => parts.join('')),
    };
  });

const sequence = (g: fc.Arbitrary<Gen>): fc.Arbitrary<Gen> =>
  fc.array(g, { minLength: 1, maxLength: 4 }).map((items) => ({
    src: items.map((i) => i.src).join(''),
    sample: fc.tuple(...items.map((i) => i.sample)).map((parts) => parts.join('')),
  }));

const group: fc.Arbitrary<Gen> = fc
  .tuple(fc.array(sequence(quantified(atom, true)), { minLength: 1, maxLength: 3 }), fc.boolean())
  .map(([branches, capturing]) => ({
    src: `(${capturing ? '' : '?:'}${branches.map((b) => b.src).join('|')})`,
    sample: fc.oneof(...branches.map((b) => b.sample)),
  }));

const pattern: fc.Arbitrary<Gen> = sequence(fc.oneof(quantified(atom, true), quantified(group, false)));

const mutate = (value: string): fc.Arbitrary<string> =>
  fc
    .tuple(fc.nat(value.length), fc.constantFrom(...ALPHABET), fc.constantFrom('insert', 'replace', 'delete'))
    .map(([at, c, op]) =>
      op === 'insert'
        ? value.slice(0, at) + c + value.slice(at)
        : op === 'replace'
          ? value.slice(0, at) + c + value.slice(at + 1)
          : value.slice(0, at) + value.slice(at + 1),
    );

describe('canonical patterns agree with the source in JavaScript', () => {
  it('match the same strings, case-sensitively and with the i flag as the case-folded form', () => {
    fc.assert(
      fc.property(
        pattern.chain((p) =>
          fc.record({
            src: fc.constant(p.src),
            matching: p.sample,
            others: fc.array(
              fc.oneof(p.sample.chain(mutate), fc.string({ unit: fc.constantFrom(...ALPHABET) })),
            ),
          }),
        ),
        ({ src, matching, others }) => {
          const parsed = parsePattern(src);
          const folded = caseFoldedPattern(src);
          fc.pre(parsed.ok && folded.ok);
          if (!parsed.ok || !folded.ok) return;
          // \s is deliberately ASCII whitespace (JavaScript's also takes U+2028 and other spaces).
          const reference = src.replaceAll('\\s', '[ \\t\\n\\r\\f\\v]');
          const original = new RegExp(`^(?:${reference})$`);
          const originalI = new RegExp(`^(?:${reference})$`, 'i');
          const canonical = new RegExp(parsed.canonical);
          const canonicalI = new RegExp(parsed.canonical, 'i');
          const foldedRe = new RegExp(folded.canonical);
          assert.ok(original.test(matching), 'the generated sample matches its pattern');
          assert.deepEqual(
            parsePattern(parsed.canonical),
            parsed,
            'the canonical form is its own canonical form',
          );
          assert.deepEqual(caseFoldedPattern(folded.canonical), folded);
          assert.ok(canonical.test(matching));
          assert.ok(matching.length >= parsed.minLength && matching.length <= (parsed.maxLength ?? Infinity));
          for (const value of [matching, matching.toUpperCase(), matching.toLowerCase(), ...others]) {
            assert.equal(
              canonical.test(value),
              original.test(value),
              `${parsed.canonical} on ${JSON.stringify(value)}`,
            );
            assert.equal(canonicalI.test(value), originalI.test(value), value);
            assert.equal(
              foldedRe.test(value),
              originalI.test(value),
              `${folded.canonical} on ${JSON.stringify(value)}`,
            );
            if (original.test(value)) {
              assert.ok(value.length >= parsed.minLength && value.length <= (parsed.maxLength ?? Infinity));
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
