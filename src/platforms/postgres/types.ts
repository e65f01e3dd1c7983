/**
 * Returns a column's type as PostgreSQL prints it (`character varying(80)`, `numeric(12,2)`,
 * `integer[]`) from the catalog's type name and modifier, without a per-row `format_type()` call.
 */
export function typeText(typname: string, typmod: number): string {
  if (typname.startsWith('_')) return `${typeText(typname.slice(1), typmod)}[]`;
  const names: Record<string, string> = {
    int2: 'smallint',
    int4: 'integer',
    int8: 'bigint',
    float4: 'real',
    float8: 'double precision',
    bool: 'boolean',
    varchar: 'character varying',
    bpchar: 'character',
    timestamp: 'timestamp without time zone',
    timestamptz: 'timestamp with time zone',
    time: 'time without time zone',
    timetz: 'time with time zone',
  };
  const base = names[typname] ?? typname;
  if (typmod < 0) return base;
  if (typname === 'varchar' || typname === 'bpchar') return `${base}(${typmod - 4})`;
  if (typname === 'numeric') {
    const mod = typmod - 4;
    return `numeric(${(mod >> 16) & 0xffff},${mod & 0xffff})`;
  }
  if (['timestamp', 'timestamptz', 'time', 'timetz'].includes(typname)) {
    const [head, ...rest] = base.split(' ');
    return [`${head}(${typmod})`, ...rest].join(' ');
  }
  if (typname === 'bit' || typname === 'varbit') return `${base}(${typmod})`;
  return base;
}

/** Maps a PostgreSQL type to the platform-neutral family policies and discovery reason about. */
export function typeFamily(typname: string, category: string): string {
  if (category === 'A' || typname.startsWith('_')) return 'array';
  switch (typname) {
    case 'int2':
    case 'int4':
    case 'int8':
      return 'integer';
    case 'numeric':
    case 'money':
      return 'decimal';
    case 'float4':
    case 'float8':
      return 'float';
    case 'bool':
      return 'boolean';
    case 'date':
      return 'date';
    case 'timestamp':
    case 'timestamptz':
      return 'timestamp';
    case 'time':
    case 'timetz':
      return 'time';
    case 'bytea':
      return 'binary';
    case 'json':
    case 'jsonb':
      return 'json';
    case 'uuid':
      return 'uuid';
    default:
      return category === 'S' ? 'text' : 'other';
  }
}
