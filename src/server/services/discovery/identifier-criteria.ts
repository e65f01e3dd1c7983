import { DEFAULT_DATA_TYPES } from '../../../discovery/identifier.ts';
import { parsePattern } from '../../../discovery/pattern.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import type { ClassifierBody } from '../../schemas/sdd.ts';

/** The stored columns of an identifier's rule, derived from a create or update body. */
export interface IdentifierColumns {
  readonly display_name: string;
  readonly description: string;
  readonly type: 'regex' | 'columnNameRegex' | 'dictionary';
  readonly pattern: string | null;
  readonly source_pattern: string | null;
  readonly dictionary: string | null;
  readonly case_sensitive: boolean;
  readonly tags: string[];
  readonly specificity: number;
  readonly data_types: string[];
}

/** The specificity of a user-defined identifier that names none (above every built-in). */
export const DEFAULT_SPECIFICITY = 100;

/**
 * Validates an identifier's pattern and returns its canonical form: value patterns must match a whole
 * value (anchored); column-name patterns are searched for in the name unless the user anchors them. A
 * pattern outside the portable, linear-time subset is SDD_PATTERN_INVALID naming its field.
 */
function canonicalPattern(field: 'regex' | 'columnNameRegex', source: string): string {
  const parsed = parsePattern(source, { anchor: field === 'regex' });
  if (parsed.ok) return parsed.canonical;
  const at = parsed.at === undefined ? '' : ` (at character ${parsed.at + 1})`;
  const reason = `${parsed.message.replace(/\.$/, '')}${at}`;
  throw new AppError('SDD_PATTERN_INVALID', `The pattern of config.${field} is refused: ${reason}.`, {
    errors: [fieldError('body', ['config', field], reason)],
  });
}

/**
 * Turns a validated body into the stored columns: the pattern as written and its canonical form, or
 * the dictionary values without duplicates. `type` is never `builtIn` here (the schema refuses it).
 */
export function identifierColumns(body: ClassifierBody): IdentifierColumns {
  const { config } = body;
  const type = body.type === 'builtIn' ? 'regex' : body.type;
  const source =
    type === 'regex' ? config.regex : type === 'columnNameRegex' ? config.columnNameRegex : undefined;
  return {
    display_name: body.displayName,
    description: body.description,
    type,
    pattern: type === 'dictionary' ? null : canonicalPattern(type, source ?? ''),
    source_pattern: source ?? null,
    dictionary: type === 'dictionary' ? JSON.stringify([...new Set(config.values ?? [])]) : null,
    case_sensitive: config.caseSensitive,
    tags: [...new Set(config.tags)],
    specificity: config.specificity ?? DEFAULT_SPECIFICITY,
    data_types: [...(config.dataTypes ?? DEFAULT_DATA_TYPES)],
  };
}
