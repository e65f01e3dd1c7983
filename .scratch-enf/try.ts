import { createEmbeddedWarehouse } from '../test/support/warehouse.ts';
import { createPostgresPlatform } from '../src/platforms/postgres/index.ts';
import { superuserClient } from '../test/entitlements/warehouse-rows.ts';
import { SUBSCRIBED, inGroup, not, or } from '../src/policy/condition.ts';
import { column, inSubjectValues } from '../src/policy/row-expr.ts';
import type { AccessPlan } from '../src/policy/access-plan.ts';

const wh = await createEmbeddedWarehouse();
const su = await superuserClient(wh);
await su.query(`CREATE ROLE owner1; GRANT owner1 TO steward_service; CREATE SCHEMA sales AUTHORIZATION owner1;
CREATE TABLE sales.orders (id int, region text, email text); ALTER TABLE sales.orders OWNER TO owner1;
INSERT INTO sales.orders VALUES (1,'NA','a@x'),(2,'EMEA','b@x');
CREATE ROLE alice; GRANT USAGE ON SCHEMA sales TO alice; GRANT SELECT ON sales.orders TO alice;`);
const platform = createPostgresPlatform({ resolveEndpoint: wh.resolveEndpoint });
const session = await platform.connect({ connectionKey: 'wh', connection: wh.connection, nativeIntegration: undefined });
await platform.syncEntitlements!(session, { user_principals: [['alice']], user_groups: [], user_attributes: [['alice', 'Region', 'NA']], user_subscriptions: [['alice', '1']], user_purposes: [] });
const ref = { id: 1, policyKey: 'p', name: 'p', scope: 'global' as const };
const plan: AccessPlan = {
  target: { id: '1', connectionKey: 'wh', database: 'postgres', schema: 'sales', table: 'orders', tags: [], columns: [
    { name: 'id', dataType: 'integer', tags: [] }, { name: 'region', dataType: 'text', tags: [] }, { name: 'email', dataType: 'text', tags: [] }] },
  policies: [ref],
  subscription: { condition: or(SUBSCRIBED, inGroup('Finance')), policies: [], approvable: false },
  rowFilters: [{ predicate: inSubjectValues(column('region'), { kind: 'attribute', key: 'Region' }), appliesWhen: not(inGroup('Privacy')), policy: ref, description: '' }],
  masks: [{ column: 'email', family: 'text', requested: { kind: 'hash' }, mask: { kind: 'hash' }, appliesWhen: not(inGroup('Privacy')), policy: ref, losers: [] }],
  skipped: [],
};
const r1 = await platform.enforce!(session, [{ plan, salt: 'abc' }], {});
console.log(JSON.stringify(r1, null, 1));
const r2 = await platform.enforce!(session, [{ plan, salt: 'abc' }], {});
console.log(JSON.stringify(r2, null, 1));
await su.query('SET ROLE alice');
console.log((await su.query('SELECT * FROM sales.orders')).rows, (await su.query('SELECT * FROM steward_sales.orders')).rows);
await su.query('RESET ROLE');
await session.close(); await su.end(); await wh.drop();
