import { type CharSet, charSet, intersects } from '../../discovery/char-set.ts';

/**
 * The buckets a value's first and last characters fall into, so a bit test on a group of values rules
 * a regex out before PostgreSQL runs it: each printable ASCII character has its own bucket (bucket =
 * code - 31), ASCII controls share bucket 0, U+0080-U+00FF bucket 96, the rest of the BMP bucket 97
 * (an astral character is U+FFFD in the JavaScript view), and the empty value bucket 98.
 */
const BUCKETS: readonly CharSet[] = [
  charSet([
    [0, 31],
    [127, 127],
  ]),
  ...Array.from({ length: 95 }, (_, n): CharSet => [[n + 32, n + 32]]),
  [[0x80, 0xff]],
  [[0x100, 0xffff]],
];

/** The bucket of the empty value, which has no first or last character. */
export const EMPTY_BUCKET = BUCKETS.length;

/** The bucket of each character code, by `least(code, 256)`: the table the platform looks buckets up in. */
export const BUCKET_OF_CODE: readonly number[] = Array.from({ length: 257 }, (_, c) =>
  c < 32 || c === 127 ? 0 : c < 127 ? c - 31 : c < 256 ? 96 : 97,
);

/**
 * Returns the two 64-bit words (buckets 0-63 and 64-127, as signed decimal strings for int8
 * parameters) of the mask of buckets holding a character of `set`, plus the empty bucket when the
 * pattern matches the empty value.
 */
export function bucketMask(set: CharSet, matchesEmpty: boolean): readonly [string, string] {
  let mask = matchesEmpty ? 1n << BigInt(EMPTY_BUCKET) : 0n;
  BUCKETS.forEach((bucket, n) => {
    if (intersects(bucket, set)) mask |= 1n << BigInt(n);
  });
  return [BigInt.asIntN(64, mask).toString(), BigInt.asIntN(64, mask >> 64n).toString()];
}
