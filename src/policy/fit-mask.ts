import type { Mask, MaskSpec, TypeFamily } from './mask.ts';

/** A mask fitted to a column, with the reason when the requested one could not apply. */
export interface FittedMask {
  readonly mask: Mask;
  readonly fallback?: string;
}

const NUMERIC: ReadonlySet<TypeFamily> = new Set(['integer', 'numeric', 'float']);
const TIMES: ReadonlySet<TypeFamily> = new Set(['date', 'timestamp']);

function fallback(spec: MaskSpec, family: TypeFamily, why: string): FittedMask {
  return {
    mask: { kind: 'null' },
    fallback: `${spec.kind} cannot apply to a ${family} column (${why}): NULL instead`,
  };
}

function constantFits(value: string, family: TypeFamily): boolean {
  switch (family) {
    case 'text':
      return true;
    case 'integer':
      return /^-?\d{1,18}$/.test(value);
    case 'numeric':
    case 'float':
      return /^-?\d+(\.\d+)?$/.test(value);
    case 'boolean':
      return value === 'true' || value === 'false';
    default:
      return false;
  }
}

/**
 * Fits a requested mask to a column's type family, never failing and never leaking: hash, regex and
 * custom expressions need text; rounding needs a number (bucket) or a date or time (precision); a
 * constant must be a value of the column's type. Anything else becomes NULL, with the reason.
 */
export function fitMask(spec: MaskSpec, family: TypeFamily): FittedMask {
  switch (spec.kind) {
    case 'null':
      return { mask: { kind: 'null' } };
    case 'hash':
      return family === 'text' ? { mask: { kind: 'hash' } } : fallback(spec, family, 'a hash is text');
    case 'regex':
      return family === 'text'
        ? {
            mask: {
              kind: 'regex',
              pattern: spec.pattern,
              replacement: spec.replacement,
              caseInsensitive: spec.caseInsensitive,
            },
          }
        : fallback(spec, family, 'regular expressions apply to text');
    case 'constant':
      return constantFits(spec.value, family)
        ? { mask: { kind: 'constant', value: spec.value } }
        : fallback(spec, family, `${JSON.stringify(spec.value)} is not a value of this type`);
    case 'round':
      if (NUMERIC.has(family) && spec.bucketSize !== undefined) {
        return { mask: { kind: 'roundNumber', bucket: spec.bucketSize } };
      }
      if (TIMES.has(family) && spec.timePrecision !== undefined) {
        if (family === 'date' && (spec.timePrecision === 'hour' || spec.timePrecision === 'minute')) {
          return { mask: { kind: 'truncateTime', unit: 'day' } };
        }
        return { mask: { kind: 'truncateTime', unit: spec.timePrecision } };
      }
      return fallback(spec, family, 'no bucket size or time precision fits it');
    case 'custom':
      return family === 'text'
        ? { mask: { kind: 'custom', expression: spec.expression } }
        : fallback(spec, family, 'custom expressions apply to text');
  }
}
