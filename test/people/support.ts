import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Db } from '../../src/store/schema.ts';
import type { TestApp } from '../support/app.ts';

/** Registers a bare connection row (no platform behind it), for external ids and entitlement marks. */
export async function addConnection(db: Db, connectionKey: string): Promise<void> {
  await db
    .insertInto('connections')
    .values({
      connection_key: connectionKey,
      technology: 'PostgreSQL',
      connection: JSON.stringify({}),
      native_integration: null,
      secrets: 'none',
      options: JSON.stringify({}),
      integration_id: null,
      syncing_job: null,
      last_synced_at: null,
      created_by: null,
      updated_by: null,
    })
    .execute();
}

/** Sends a request as the given key and returns the response; JSON bodies are sent as JSON. */
export function caller(t: TestApp, key: string) {
  return (options: InjectOptions): Promise<LightMyRequestResponse> =>
    t.app.inject({ ...options, headers: { authorization: key, ...options.headers } });
}

/** The audit events a request wrote, in order. */
export async function eventsOf(t: TestApp, res: LightMyRequestResponse) {
  return t.store.db
    .selectFrom('audit_events')
    .selectAll()
    .where('request_id', '=', String(res.headers['x-request-id']))
    .orderBy('seq')
    .execute();
}

/** When entitlement sync was last told about a change on each connection. */
export async function changeMarks(db: Db): Promise<Map<string, Date>> {
  const rows = await db.selectFrom('entitlement_sync').select(['connection_key', 'changed_at']).execute();
  return new Map(rows.map((r) => [r.connection_key, r.changed_at]));
}

/** Inserts a user directly, with attributes and no API key. */
export async function insertUser(
  db: Db,
  username: string,
  fields: { email?: string; attributes?: Record<string, string[]> } = {},
): Promise<number> {
  const { id } = await db
    .insertInto('users')
    .values({ username, name: null, email: fields.email ?? null, state: 'active', permissions: [] })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [key, values] of Object.entries(fields.attributes ?? {})) {
    for (const value of values) {
      await db
        .insertInto('user_attributes')
        .values({ user_id: id, attribute_key: key, attribute_value: value })
        .execute();
    }
  }
  return id;
}
