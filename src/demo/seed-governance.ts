import { sql } from 'kysely';
import { recordAudit } from '../audit/record.ts';
import { SYSTEM_ACTOR } from '../domain/actor.ts';
import { requestEnforcement } from '../policy/request-enforcement.ts';
import type { AppDeps } from '../server/deps.ts';
import { upsertPolicy } from '../server/services/policies/upsert-policy.ts';
import { STARTER_POLICIES, STARTER_TAGS } from './starter-policies.ts';
import { DEMO_CONNECTION_KEY } from './warehouse.ts';

const SEEDED = 'demo.governed';

/** Returns true once the demo crawl has recorded the columns the starter tags need. */
async function crawled(deps: AppDeps): Promise<boolean> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM data_columns c JOIN data_objects o ON o.id = c.object_id
     WHERE o.connection_key = ${DEMO_CONNECTION_KEY} AND o.kind = 'table'
       AND o.path[array_length(o.path, 1) - 1] || '.' || o.name IN ('sales.customers', 'hr.employees')`.execute(
    deps.store.db,
  );
  return Number(rows[0]?.n ?? 0) > 0;
}

/**
 * Tags the demo tables and columns and writes the starter policies, once (a flag in the store
 * remembers it, so policies a user deleted are not brought back), then asks for enforcement. Waits
 * for the demo's first crawl, polling, for at most `timeoutMs`. Returns the policy keys written.
 */
export async function seedDemoGovernanceOnce(deps: AppDeps, timeoutMs = 120_000): Promise<string[]> {
  const db = deps.store.db;
  const done = await db
    .selectFrom('steward_settings')
    .select('key')
    .where('key', '=', SEEDED)
    .executeTakeFirst();
  if (done) return [];
  const until = Date.now() + timeoutMs;
  while (!(await crawled(deps))) {
    if (Date.now() > until || deps.shuttingDown?.()) return [];
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const ctx = { deps, actor: SYSTEM_ACTOR };
  await db.transaction().execute(async (trx) => {
    const names = [...new Set(Object.values(STARTER_TAGS).flat())];
    await trx
      .insertInto('tags')
      .values(
        names.map((name) => ({ name, description: 'Demo tag', source: 'manual' as const, created_by: null })),
      )
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const entries = Object.entries(STARTER_TAGS).flatMap(([where, tags]) => {
      const [schema, table, column] = where.split('.') as [string, string, string | undefined];
      return tags.map((tag) => ({ schema, table, column: column ?? '', tag }));
    });
    await sql`
      INSERT INTO object_tags (object_id, column_name, tag_id, source)
      SELECT o.id, e.column_name, t.id, 'manual'
        FROM unnest(${entries.map((e) => e.schema)}::text[], ${entries.map((e) => e.table)}::text[],
                    ${entries.map((e) => e.column)}::text[], ${entries.map((e) => e.tag)}::text[])
               AS e(schema_name, table_name, column_name, tag)
        JOIN data_objects o ON o.connection_key = ${DEMO_CONNECTION_KEY} AND o.kind = 'table'
                           AND o.name = e.table_name AND o.path[array_length(o.path, 1) - 1] = e.schema_name
        JOIN tags t ON t.name = e.tag
      ON CONFLICT DO NOTHING`.execute(trx);
    await recordAudit(trx, ctx, {
      action: 'TagsApplied',
      targets: [{ type: 'connection', id: DEMO_CONNECTION_KEY }],
      payload: { demo: true, tags: names },
    });
    await trx
      .insertInto('steward_settings')
      .values({ key: SEEDED, value: JSON.stringify({ at: new Date().toISOString() }) })
      .execute();
  });
  const keys: string[] = [];
  for (const document of STARTER_POLICIES) {
    const result = await upsertPolicy(ctx, { document, scope: 'global', dryRun: false });
    keys.push(result.policy.policyKey);
  }
  await requestEnforcement(db, [DEMO_CONNECTION_KEY]);
  deps.jobs.wake();
  return keys;
}
