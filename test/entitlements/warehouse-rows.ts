import pg from 'pg';
import type { EntitlementRows } from '../../src/platforms/platform.ts';
import type { PostgresConnection } from '../../src/platforms/postgres/schemas.ts';
import { TEST_SERVER_URL } from '../support/store.ts';
import type { TestWarehouse } from '../support/warehouse.ts';

/** Entitlement rows as comparable text: each table's rows joined and sorted. */
export type RowSets = Record<keyof EntitlementRows, string[]>;

/** Turns rows into sorted text lines, so two sets compare with deepEqual whatever their order. */
export function rowSets(rows: EntitlementRows): RowSets {
  const lines = (table: ReadonlyArray<readonly string[]>) => table.map((r) => JSON.stringify(r)).sort();
  return {
    user_principals: lines(rows.user_principals),
    user_groups: lines(rows.user_groups),
    user_attributes: lines(rows.user_attributes),
    user_subscriptions: lines(rows.user_subscriptions),
    user_purposes: lines(rows.user_purposes),
  };
}

/** Opens a superuser client on a test warehouse (the server database, or the PGlite instance). */
export async function superuserClient(wh: TestWarehouse): Promise<pg.Client> {
  let config: pg.ClientConfig;
  if (wh.kind === 'embedded') {
    config = wh.resolveEndpoint!(wh.connection as unknown as PostgresConnection)!;
  } else {
    const url = new URL(TEST_SERVER_URL);
    url.pathname = `/${wh.database}`;
    config = { connectionString: url.toString() };
  }
  const client = new pg.Client(config);
  await client.connect();
  return client;
}

/** Reads the five entitlement tables of the `steward` schema as a superuser. */
export async function readWarehouseRows(client: pg.Client, schema = 'steward'): Promise<RowSets> {
  const read = async (table: string, columns: string) => {
    const result = await client.query<string[]>({
      text: `SELECT ${columns} FROM ${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table)}`,
      rowMode: 'array',
    });
    return result.rows.map((r) => JSON.stringify(r)).sort();
  };
  return {
    user_principals: await read('user_principals', 'principal'),
    user_groups: await read('user_groups', 'principal, group_name'),
    user_attributes: await read('user_attributes', 'principal, attribute_key, attribute_value'),
    user_subscriptions: await read('user_subscriptions', 'principal, data_source_id'),
    user_purposes: await read('user_purposes', 'principal, purpose'),
  };
}
