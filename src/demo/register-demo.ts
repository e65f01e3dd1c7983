import { SYSTEM_ACTOR } from '../domain/actor.ts';
import { markEntitlementsChanged } from '../people/entitlements-changed.ts';
import type { AppDeps } from '../server/deps.ts';
import { parseConnectionPayload } from '../server/services/connections/parse-payload.ts';
import { storeConnection } from '../server/services/connections/register-connection.ts';
import { seedDemoPeople } from './demo-people.ts';
import { DEMO_CONNECTION_KEY, type DemoWarehouse } from './warehouse.ts';

const REGISTERED = 'demo.registered';

/**
 * Registers the demo warehouse as connection `demo`, starts its object sync and creates the demo
 * people, once: a flag in the
 * store remembers it, so a demo connection the user deleted is not brought back. Returns the bulk id.
 */
export async function registerDemoOnce(deps: AppDeps, demo: DemoWarehouse): Promise<string | undefined> {
  const db = deps.store.db;
  const done = await db
    .selectFrom('steward_settings')
    .select('key')
    .where('key', '=', REGISTERED)
    .executeTakeFirst();
  if (done) return undefined;
  const parsed = await parseConnectionPayload(db, deps.platforms, {
    connectionKey: DEMO_CONNECTION_KEY,
    connection: demo.connection,
    settings: { isActive: true },
  });
  const { bulkId } = await storeConnection({ deps, actor: SYSTEM_ACTOR }, parsed);
  const people = await db.transaction().execute(async (trx) => {
    const created = await seedDemoPeople(trx);
    if (created.length > 0) await markEntitlementsChanged(trx);
    return created;
  });
  if (people.length > 0) deps.logger.info({ people }, 'demo people created');
  await db
    .insertInto('steward_settings')
    .values({ key: REGISTERED, value: JSON.stringify({ at: new Date().toISOString(), bulkId }) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  deps.jobs.wake();
  return bulkId;
}
