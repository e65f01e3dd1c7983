export {
  type ColumnResolution,
  columnsOf,
  type LookupTable,
  lookupTables,
  type ResolvableTable,
  resolveColumns,
} from './lookups.ts';
export { MAX_WHERE_LENGTH, parseValueExpression, parseWhereClause } from './parse-where.ts';
