import type { TableKind } from '../platform.ts';

const TABLE_KINDS: Readonly<Record<string, TableKind>> = {
  MANAGED: 'table',
  MANAGED_SHALLOW_CLONE: 'table',
  EXTERNAL: 'externalTable',
  EXTERNAL_SHALLOW_CLONE: 'externalTable',
  VIEW: 'view',
  METRIC_VIEW: 'view',
  MATERIALIZED_VIEW: 'materializedView',
  STREAMING_TABLE: 'streamingTable',
  FOREIGN: 'foreignTable',
};

/** Maps a Unity Catalog `table_type` to a table kind; unknown future types count as tables. */
export function tableKindOf(tableType: string | undefined): TableKind {
  return TABLE_KINDS[tableType ?? ''] ?? 'table';
}

const TYPE_FAMILIES: Readonly<Record<string, string>> = {
  STRING: 'text',
  CHAR: 'text',
  VARCHAR: 'text',
  BYTE: 'integer',
  TINYINT: 'integer',
  SHORT: 'integer',
  SMALLINT: 'integer',
  INT: 'integer',
  INTEGER: 'integer',
  LONG: 'integer',
  BIGINT: 'integer',
  DECIMAL: 'decimal',
  DEC: 'decimal',
  NUMERIC: 'decimal',
  FLOAT: 'float',
  REAL: 'float',
  DOUBLE: 'float',
  BOOLEAN: 'boolean',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
  TIMESTAMP_LTZ: 'timestamp',
  TIMESTAMP_NTZ: 'timestamp',
  BINARY: 'binary',
  VARIANT: 'json',
  ARRAY: 'array',
  STRUCT: 'struct',
  MAP: 'map',
};

/**
 * Maps a Unity Catalog column type to the platform-neutral family. Uses `type_name` (`LONG`,
 * `DECIMAL`...) and falls back to the leading word of `type_text` (`decimal(10,2)`, `array<string>`).
 */
export function dataTypeOf(typeName: string | undefined, typeText: string | undefined): string {
  const byName = TYPE_FAMILIES[(typeName ?? '').toUpperCase()];
  if (byName) return byName;
  const word = /^[A-Za-z_]+/.exec(typeText ?? '')?.[0]?.toUpperCase() ?? '';
  return TYPE_FAMILIES[word] ?? 'other';
}
