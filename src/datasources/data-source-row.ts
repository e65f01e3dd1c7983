import { z } from 'zod';
import type { DataObjectRow } from '../connections/object-tree.ts';
import { AppError } from '../errors/index.ts';
import type { Db } from '../store/schema.ts';

/** A data source id in a path: the id of its table object, a positive integer. */
export const dataSourceIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,17}$/, 'must be a data source id (a positive integer)')
  .describe('The data source id (the id of its table object).');

/**
 * Loads a data source: an active table object. A table dropped from its platform stays a data source,
 * disabled (its crawl health check fails); an inactive or unknown one is DATASOURCE_NOT_FOUND.
 */
export async function getDataSource(db: Db, id: string): Promise<DataObjectRow> {
  const row = await db
    .selectFrom('data_objects')
    .selectAll()
    .where('id', '=', id)
    .where('kind', '=', 'table')
    .where('state', '=', 'active')
    .executeTakeFirst();
  if (!row) throw new AppError('DATASOURCE_NOT_FOUND', `There is no data source ${id}.`);
  return row;
}

/** Returns true when a data source's table is present in its platform (not dropped). */
export function isEnabled(row: DataObjectRow): boolean {
  return row.remote_status === 'present';
}
