import { z } from 'zod';

/** The longest one segment of a tag name may be. */
export const MAX_SEGMENT_LENGTH = 100;

/** The most segments (levels) a tag name may have. */
export const MAX_DEPTH = 20;

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The outcome of checking a tag name: its normalised form, or why it is not a valid name. */
export type TagNameCheck =
  | { readonly ok: true; readonly name: string }
  | { readonly ok: false; readonly problem: string };

/**
 * Checks and normalises a hierarchical tag name: dot-separated segments, each trimmed of surrounding
 * spaces, non-empty, at most 100 characters and free of control characters (`' PII . Email'` becomes
 * `PII.Email`). Names are case-sensitive.
 */
export function checkTagName(raw: string): TagNameCheck {
  if (CONTROL.test(raw)) return { ok: false, problem: 'must not contain control characters' };
  const segments = raw.split('.').map((s) => s.trim());
  if (segments.some((s) => s === '')) return { ok: false, problem: 'must be dot-separated non-empty names' };
  if (segments.length > MAX_DEPTH) return { ok: false, problem: `must have at most ${MAX_DEPTH} levels` };
  if (segments.some((s) => s.length > MAX_SEGMENT_LENGTH)) {
    return { ok: false, problem: `each level must be at most ${MAX_SEGMENT_LENGTH} characters` };
  }
  return { ok: true, name: segments.join('.') };
}

/** A zod schema of a tag name that validates it and yields its normalised form. */
export const tagNameSchema = z
  .string()
  .max(MAX_DEPTH * (MAX_SEGMENT_LENGTH + 1))
  .transform((raw, ctx) => {
    const check = checkTagName(raw);
    if (check.ok) return check.name;
    ctx.addIssue({ code: 'custom', message: check.problem });
    return z.NEVER;
  })
  .describe('A hierarchical tag name: dot-separated levels, such as `PII.Email`.');

/** Returns the names of a tag and its ancestors, root first: `A.B.C` gives `A`, `A.B`, `A.B.C`. */
export function tagLineage(name: string): string[] {
  const segments = name.split('.');
  return segments.map((_, i) => segments.slice(0, i + 1).join('.'));
}

/** Returns the name of a tag's parent, or null for a root tag. */
export function parentTag(name: string): string | null {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? null : name.slice(0, dot);
}
