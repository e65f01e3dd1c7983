import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { EntitlementRows, PlatformSession } from '../../src/platforms/platform.ts';
import { createPostgresPlatform } from '../../src/platforms/postgres/index.ts';
import { mirrorSchemaName } from '../../src/platforms/postgres/names.ts';
import { quoteIdent, quoteLiteral } from '../../src/platforms/postgres/quote.ts';
import { isGoverned } from '../../src/policy/access-plan.ts';
import { type Row, readBaseTable, readThroughView } from '../../src/policy/evaluate.ts';
import { planDataSource } from '../../src/policy/plan.ts';
import { subject } from '../../src/policy/subject.ts';
import { queryAs } from '../support/as-role.ts';
import { createEmbeddedWarehouse, createServerWarehouse, type TestWarehouse } from '../support/warehouse.ts';
import {
  LOOKUP_TABLE_SQL,
  ORACLE_TABLE_SQL,
  ORACLE_TARGET,
  type OraclePerson,
  type OracleRow,
  personArb,
  policiesArb,
  rowsArb,
} from './oracle-arbitraries.ts';

const RUNS = Number(process.env.STEWARD_ORACLE_RUNS ?? 40);
const SALT = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

function entitlementRows(people: readonly (OraclePerson & { principal: string })[]): EntitlementRows {
  return {
    user_principals: people.map((p) => [p.principal] as const),
    user_groups: people.flatMap((p) => p.groups.map((g) => [p.principal, g] as const)),
    user_attributes: people.flatMap((p) => [
      ...p.regions.map((v) => [p.principal, 'Region', v] as const),
      ...p.levels.map((v) => [p.principal, 'Level', v] as const),
    ]),
    user_subscriptions: people
      .filter((p) => p.subscribed)
      .map((p) => [p.principal, ORACLE_TARGET.id] as const),
    user_purposes: people.flatMap((p) => p.purposes.map((v) => [p.principal, v] as const)),
  };
}

function normalize(rows: readonly Record<string, unknown>[]): Record<string, string | null>[] {
  return rows
    .map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [k, v === null || v === undefined ? null : String(v)]),
      ),
    )
    .sort((a, b) => Number(a.id) - Number(b.id));
}

function insertSql(rows: readonly OracleRow[]): string {
  const value = (v: string | number | null) =>
    v === null ? 'NULL' : typeof v === 'number' ? String(v) : quoteLiteral(v);
  const tuples = rows.map(
    (r) => `(${r.id}, ${value(r.region)}, ${value(r.email)}, ${value(r.score)}, ${value(r.note)})`,
  );
  return `TRUNCATE oracle.facts; ${tuples.length > 0 ? `INSERT INTO oracle.facts VALUES ${tuples.join(', ')};` : ''}`;
}

for (const kind of ['embedded', 'server'] as const) {
  describe(`the reference evaluator agrees with ${kind === 'server' ? 'a PostgreSQL server' : 'embedded PGlite'} for random policies, people and rows`, () => {
    let wh: TestWarehouse;
    let session: PlatformSession;
    const platform = () => createPostgresPlatform({ resolveEndpoint: wh.resolveEndpoint });
    const suffix = randomBytes(3).toString('hex');
    const owner = `oracle_owner_${suffix}`;
    const principals = [0, 1, 2, 3].map((i) => `oracle_p${i}_${suffix}`);
    const bystander = `oracle_etl_${suffix}`;
    // p0 may see EU and US, p1 APAC, p2 nothing but a NULL region entry, p3 is absent.
    const lookupRows = [
      { username: principals[0] as string, region: 'EU' },
      { username: principals[0] as string, region: 'US' },
      { username: principals[1] as string, region: 'APAC' },
      { username: principals[2] as string, region: null },
    ];

    before(async () => {
      wh = kind === 'server' ? await createServerWarehouse() : await createEmbeddedWarehouse();
      const roles = [owner, bystander, ...principals];
      await wh.exec(
        [
          ...roles.map((r) => `CREATE ROLE ${quoteIdent(r)} LOGIN`),
          `GRANT ${quoteIdent(owner)} TO ${quoteIdent(wh.role)}`,
          `CREATE SCHEMA oracle AUTHORIZATION ${quoteIdent(owner)}`,
          `SET ROLE ${quoteIdent(owner)}`,
          ORACLE_TABLE_SQL,
          LOOKUP_TABLE_SQL,
          `INSERT INTO oracle.region_access VALUES ${lookupRows.map((r) => `(${quoteLiteral(r.username)}, ${r.region === null ? 'NULL' : quoteLiteral(r.region)})`).join(', ')}`,
          `GRANT SELECT ON oracle.region_access TO ${[bystander, ...principals].map(quoteIdent).join(', ')}`,
          `GRANT USAGE ON SCHEMA oracle TO ${[bystander, ...principals].map(quoteIdent).join(', ')}`,
          `GRANT SELECT ON oracle.facts TO ${[bystander, ...principals].map(quoteIdent).join(', ')}`,
          'RESET ROLE',
        ].join(';\n'),
      );
      session = await platform().connect({
        connectionKey: 'oracle',
        connection: wh.connection,
        nativeIntegration: undefined,
      });
    });

    after(async () => {
      await session?.close().catch(() => {});
      if (kind === 'server') {
        await wh.exec(
          `DROP SCHEMA IF EXISTS oracle CASCADE; DROP SCHEMA IF EXISTS ${quoteIdent(mirrorSchemaName('steward', 'oracle'))} CASCADE`,
        );
        for (const r of [...principals, bystander, owner]) {
          await wh
            .exec(`DROP OWNED BY ${quoteIdent(r)}; DROP ROLE IF EXISTS ${quoteIdent(r)}`)
            .catch(() => {});
        }
      }
      await wh?.drop();
    });

    it('shows each database role exactly the rows and values the evaluator computes, through the table and the masked view', async () => {
      const p = platform();
      await fc.assert(
        fc.asyncProperty(
          policiesArb,
          fc.array(personArb, { minLength: 4, maxLength: 4 }),
          rowsArb,
          async (policies, people, rows) => {
            const persons = people.map((person, i) => ({ ...person, principal: principals[i] as string }));
            await wh.exec(insertSql(rows));
            await p.syncEntitlements?.(session as never, entitlementRows(persons));
            const plan = planDataSource(policies, ORACLE_TARGET, { purposes: ['Fraud', 'Audit'] });
            const targets = isGoverned(plan) ? [{ plan, salt: SALT }] : [];
            await p.enforce?.(session as never, targets, { allowEmpty: true });
            const data = rows as unknown as Row[];
            const ctx = { salt: SALT, lookups: new Map([['oracle.region_access', lookupRows]]) };
            assert.deepEqual(
              normalize(await queryAs(wh, bystander, 'SELECT * FROM oracle.facts')),
              normalize(readBaseTable(plan, undefined, data, ctx)),
              'an unmanaged role reads every row',
            );
            for (const person of persons) {
              const s = subject({
                principal: person.principal,
                groups: person.groups,
                attributes: { Region: person.regions, Level: person.levels },
                purposes: person.purposes,
                subscriptions: person.subscribed ? [ORACLE_TARGET.id] : [],
              });
              const base = await queryAs(wh, person.principal, 'SELECT * FROM oracle.facts');
              const expectedBase = isGoverned(plan) ? readBaseTable(plan, s, data, ctx) : data;
              assert.deepEqual(
                normalize(base),
                normalize(expectedBase),
                `${person.principal} through the table`,
              );
              if (!isGoverned(plan)) continue;
              const mirror = quoteIdent(mirrorSchemaName('steward', 'oracle'));
              const view = await queryAs(wh, person.principal, `SELECT * FROM ${mirror}.facts`);
              assert.deepEqual(
                normalize(view),
                normalize(readThroughView(plan, s, data, ctx)),
                `${person.principal} through the masked view`,
              );
            }
          },
        ),
        {
          numRuns: RUNS,
          endOnFailure: true,
          includeErrorInReport: true,
          ...(process.env.STEWARD_ORACLE_SEED
            ? { seed: Number(process.env.STEWARD_ORACLE_SEED), path: process.env.STEWARD_ORACLE_PATH }
            : {}),
        },
      );
    });
  });
}
