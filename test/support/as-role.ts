import pg from 'pg';
import { TEST_SERVER_URL } from './store.ts';
import type { TestWarehouse } from './warehouse.ts';

/** A row as the `pg` driver (or PGlite) returns it. */
export type QueryRow = Record<string, unknown>;

/**
 * Runs one query in a test warehouse logged in as a real database role: on the server a new
 * connection authenticating as the role (trust auth), on PGlite `SET ROLE` inside a transaction that
 * is rolled back. Governed code paths see exactly what that person would.
 */
export async function queryAs(w: TestWarehouse, role: string, text: string): Promise<QueryRow[]> {
  if (w.pglite) {
    return w.pglite.transaction(async (tx) => {
      await tx.query(`SELECT set_config('role', $1, true)`, [role]);
      const result = await tx.query<QueryRow>(text);
      await tx.rollback();
      return result.rows;
    });
  }
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${w.database}`;
  url.username = role;
  url.password = '';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query<QueryRow>(text)).rows;
  } finally {
    await client.end();
  }
}
