import { InvalidArgumentError } from 'commander';
import type { DataObject, DataObjectSummary } from '../api-types.ts';
import { CliError } from '../cli-error.ts';
import type { ApiClient } from '../client.ts';
import { objectPath, objectPathText, objectUrl } from '../object-path.ts';

/** A data source as the command line names it: by id, or by the object path of its table. */
export type DataSourceRef =
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'path'; readonly path: readonly string[] };

/**
 * Parses a data source id, or a table's object path: `connection/database/schema/table`, or
 * `connection/schema/table` when the connection has a single database.
 */
export function dataSourceRef(text: string): DataSourceRef {
  if (/^[1-9][0-9]{0,17}$/.test(text)) return { kind: 'id', id: text };
  const path = objectPath(text);
  if (path.length !== 3 && path.length !== 4) {
    throw new InvalidArgumentError(
      'expected a data source id, or a table as connection/schema/table or connection/database/schema/table.',
    );
  }
  return { kind: 'path', path };
}

/** Completes `connection/schema/table` with the connection's database, when it has exactly one. */
async function fullPath(client: ApiClient, path: readonly string[]): Promise<readonly string[]> {
  if (path.length === 4) return path;
  const [connection, schema, table] = path as [string, string, string];
  const page = await client.request<{ objects: DataObjectSummary[] }>(
    'POST',
    objectUrl('/data/object/search', [connection]),
    { query: { size: 10 }, body: {} },
  );
  const databases = page.objects.map((o) => o.name);
  if (databases.length === 1) return [connection, databases[0]!, schema, table];
  if (databases.length === 0) throw new CliError(`the connection ${connection} has no databases`);
  throw new CliError(
    `the connection ${connection} has several databases (${databases.join(', ')}); ` +
      'name the table as connection/database/schema/table',
  );
}

/** Returns the id of the data source a reference names, looking a path up through the object API. */
export async function resolveDataSource(client: ApiClient, ref: DataSourceRef): Promise<string> {
  if (ref.kind === 'id') return ref.id;
  const path = await fullPath(client, ref.path);
  const object = await client.get<DataObject>(objectUrl('/data/object', path));
  if (object.dataSourceId === null) {
    const what = object.kind === 'table' ? 'a table that is inactive or dropped' : `a ${object.kind}`;
    throw new CliError(`${objectPathText(path)} is ${what}, not a data source`);
  }
  return object.dataSourceId;
}
