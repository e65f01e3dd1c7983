import type { TypeName } from 'libpg-query';
import type { CastType } from '../row-expr.ts';

/** PostgreSQL's own type names (as the parser spells them) of the types a row expression may cast to. */
const CAST_TYPES: Readonly<Record<string, CastType>> = {
  text: 'text',
  varchar: 'text',
  int4: 'integer',
  int8: 'bigint',
  numeric: 'numeric',
  bool: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
};

/**
 * Returns the cast type a parsed type name stands for, or undefined when casting to it is not allowed:
 * other types, arrays, `%TYPE`, and length or precision modifiers (`varchar(3)` and `numeric(5,2)`
 * would truncate or round, which `text` and `numeric` do not).
 */
export function castTypeOf(typeName: TypeName | undefined): CastType | undefined {
  if (typeName === undefined || typeName.setof || typeName.pct_type) return undefined;
  if ((typeName.typmods?.length ?? 0) > 0 || (typeName.arrayBounds?.length ?? 0) > 0) return undefined;
  const names = (typeName.names ?? []).map((n) => ('String' in n ? n.String.sval : undefined));
  const name =
    names.length === 2 && names[0] === 'pg_catalog' ? names[1] : names.length === 1 ? names[0] : undefined;
  return name !== undefined && Object.hasOwn(CAST_TYPES, name) ? CAST_TYPES[name] : undefined;
}
