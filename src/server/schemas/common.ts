import { z } from 'zod';

/** Paging query parameters used by every list route: `offset` (from 0) and `size` (1 to 1000, default 100). */
export const pageQuery = {
  offset: z.coerce.number().int().min(0).default(0).describe('How many results to skip.'),
  size: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(100)
    .describe('How many results to return (at most 1000).'),
};

/** The `next` field of every paged response: the offset of the next page, or null on the last page. */
export const nextField = z
  .number()
  .int()
  .nullable()
  .describe('Offset of the next page, or null when this is the last.');

/**
 * Cuts a result fetched with `size + 1` rows to one page and computes `next`, so no count query is
 * needed to know whether more results exist.
 */
export function toPage<T>(
  rows: readonly T[],
  offset: number,
  size: number,
): { items: T[]; next: number | null } {
  const items = rows.slice(0, size);
  return { items, next: rows.length > size ? offset + size : null };
}

/** A query parameter that may be repeated (`?state=a&state=b`) or comma-separated (`?state=a,b`). */
export function listParam<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => {
    if (v === undefined) return undefined;
    const arr = Array.isArray(v) ? v : [v];
    return arr.flatMap((x) => String(x).split(',')).filter((x) => x !== '');
  }, z.array(item).optional());
}

/** An ISO 8601 timestamp in a query parameter, parsed to a Date. */
export const dateParam = z.coerce.date();

/** The error response every route may return; documented once. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ in: z.string(), pointer: z.string(), field: z.string(), detail: z.string() }))
      .optional(),
  })
  .passthrough()
  .meta({ id: 'Problem', description: 'An RFC 9457 problem document.' });
