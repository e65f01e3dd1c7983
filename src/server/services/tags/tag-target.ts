import type { AuditTarget } from '../../../audit/record.ts';
import type { DataObjectRow } from '../../../connections/object-tree.ts';
import { dataSourceNames } from '../../../datasources/data-source-name.ts';
import { getDataSource } from '../../../datasources/data-source-row.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import type { Db } from '../../../store/schema.ts';

/** What `/tag/{modelType}/{modelId}` points at: a data source, or one column of it. */
export type TagTarget =
  | { readonly modelType: 'datasource'; readonly dataSourceId: string }
  | { readonly modelType: 'column'; readonly dataSourceId: string; readonly column: string };

const DATA_SOURCE_ID = /^[1-9][0-9]{0,17}$/;
const COLUMN_ID = /^([1-9][0-9]{0,17})_([\s\S]+)$/;

/**
 * Reads a model id: a data source id for `datasource`, and `<dataSourceId>_<columnName>` for `column`
 * (the first underscore separates them; a column name may hold more underscores).
 */
export function parseTagTarget(modelType: 'datasource' | 'column', modelId: string): TagTarget {
  if (modelType === 'datasource') {
    if (DATA_SOURCE_ID.test(modelId)) return { modelType, dataSourceId: modelId };
  } else {
    const m = COLUMN_ID.exec(modelId);
    if (m) return { modelType, dataSourceId: m[1]!, column: m[2]! };
  }
  const expected = modelType === 'datasource' ? 'a data source id' : '<dataSourceId>_<columnName>';
  throw new AppError('REQUEST_INVALID', `The modelId of a ${modelType} is ${expected}.`, {
    errors: [fieldError('params', ['modelId'], `must be ${expected}`)],
  });
}

/** The column name a target stands for: the column, or '' for the data source itself. */
export function targetColumn(target: TagTarget): string {
  return target.modelType === 'column' ? target.column : '';
}

/** The model id of a target, as the API names it. */
export function targetModelId(target: TagTarget): string {
  return target.modelType === 'column' ? `${target.dataSourceId}_${target.column}` : target.dataSourceId;
}

/** A loaded target: its data source row, and the audit target it is recorded under. */
export interface LoadedTarget {
  readonly row: DataObjectRow;
  readonly audit: AuditTarget;
}

/** Loads a target's data source, checking the column exists (DATASOURCE_COLUMN_NOT_FOUND otherwise). */
export async function loadTagTarget(db: Db, target: TagTarget): Promise<LoadedTarget> {
  const row = await getDataSource(db, target.dataSourceId);
  const name = (await dataSourceNames(db, [row])).get(row.id)!;
  if (target.modelType === 'datasource') {
    return { row, audit: { type: 'dataSource', id: row.id, name } };
  }
  const column = await db
    .selectFrom('data_columns')
    .select('name')
    .where('object_id', '=', row.id)
    .where('name', '=', target.column)
    .executeTakeFirst();
  if (!column) {
    throw new AppError(
      'DATASOURCE_COLUMN_NOT_FOUND',
      `Data source ${row.id} has no column ${JSON.stringify(target.column)}.`,
      { errors: [fieldError('params', ['modelId'], 'names no column of the data source')] },
    );
  }
  return { row, audit: { type: 'column', id: targetModelId(target), name: `${name}.${target.column}` } };
}
