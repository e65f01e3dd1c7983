import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createPostgresPlatform } from '../src/platforms/postgres/index.ts';

const connection = {
  technology: 'PostgreSQL',
  hostname: '127.0.0.1',
  port: 5432,
  database: 'crawl_probe',
  authenticationType: 'userPassword',
  username: 'steward_probe_svc',
  password: 'test-password',
};
const platform = createPostgresPlatform();
const session = await platform.connect({ connectionKey: 'p', connection, nativeIntegration: undefined });
const schemas = (await platform.listSchemas(session, 'crawl_probe')).map((s) => s.name);
const client = session.client;
const t = async (label: string, fn: () => Promise<unknown>) => {
  const r: string[] = [];
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    await fn();
    r.push((performance.now() - s).toFixed(0));
  }
  console.log(label.padEnd(60), r.join(' '), 'ms');
};
const PAGE = `WITH page AS (
           SELECT c.oid, n.nspname, c.relname, c.relkind
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
              AND n.nspname = ANY($1::text[])
              AND (n.nspname::text COLLATE "C", c.relname::text COLLATE "C") > ($2::text COLLATE "C", $3::text COLLATE "C")
            ORDER BY n.nspname::text COLLATE "C", c.relname::text COLLATE "C"
            LIMIT $4)
         SELECT p.nspname AS schema, p.relname AS table, p.relkind, td.description AS table_comment,
                a.attnum, a.attname AS column, t.typname, t.typcategory, a.atttypmod,
                NOT a.attnotnull AS nullable, cd.description AS column_comment
           FROM page p
           LEFT JOIN pg_attribute a ON a.attrelid = p.oid AND a.attnum > 0 AND NOT a.attisdropped
           LEFT JOIN pg_type t ON t.oid = a.atttypid
           LEFT JOIN pg_description td ON td.objoid = p.oid AND td.classoid = 'pg_class'::regclass AND td.objsubid = 0
           LEFT JOIN pg_description cd ON cd.objoid = p.oid AND cd.classoid = 'pg_class'::regclass AND cd.objsubid = a.attnum
          ORDER BY p.nspname::text COLLATE "C", p.relname::text COLLATE "C", a.attnum`;
async function paged(batch: number, pageSql = PAGE) {
  let after = ['', ''];
  let n = 0;
  const times: number[] = [];
  for (;;) {
    const s = performance.now();
    const { rows } = await client.query<{ schema: string; table: string }>(pageSql, [
      schemas,
      after[0],
      after[1],
      batch,
    ]);
    times.push(performance.now() - s);
    if (rows.length === 0) break;
    n += rows.length;
    const last = rows[rows.length - 1]!;
    after = [last.schema, last.table];
    if (new Set(rows.map((r) => r.table + r.schema)).size < batch) break;
  }
  if (n !== 100000) throw new Error(`rows ${n}`);
  return times;
}
await t('readTables (platform, 2000/batch)', async () => {
  for await (const _ of platform.readTables(session, 'crawl_probe', schemas)) {
  }
});
await t('raw paged query only (2000/batch)', () => paged(2000));
console.log('  per batch:', (await paged(2000)).map((x) => x.toFixed(0)).join(' '));
await t('raw paged query only (10000/batch = 1 query)', () => paged(10000));
await client.query(`SET work_mem = '64MB'`);
await t('raw paged 2000/batch, work_mem 64MB', () => paged(2000));
await t('raw 1 query, work_mem 64MB', () => paged(10000));
await client.query(`RESET work_mem`);
// same page query, ordered without sort of join output: ORDER BY oid page order + attnum via LATERAL array
const LATERAL = PAGE.replace(
  /SELECT p\.nspname AS schema[\s\S]*$/,
  `SELECT p.nspname AS schema, p.relname AS table, p.relkind, obj.description AS table_comment,
   a.attnum, a.attname AS column, t.typname, t.typcategory, a.atttypmod, NOT a.attnotnull AS nullable, cd.description AS column_comment
  FROM page p
  LEFT JOIN LATERAL (SELECT description FROM pg_description td WHERE td.objoid = p.oid AND td.classoid = 'pg_class'::regclass AND td.objsubid = 0) obj ON true
  LEFT JOIN pg_attribute a ON a.attrelid = p.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_description cd ON cd.objoid = p.oid AND cd.classoid = 'pg_class'::regclass AND cd.objsubid = a.attnum
 ORDER BY p.nspname::text COLLATE "C", p.relname::text COLLATE "C", a.attnum`,
);
await t('variant lateral (2000/batch)', () => paged(2000, LATERAL));
await t('rowMode array, same paged query', async () => {
  let after = ['', ''];
  for (;;) {
    const { rows } = await client.query({
      text: PAGE,
      values: [schemas, after[0], after[1], 2000],
      rowMode: 'array',
    });
    if (rows.length === 0) break;
    const last = rows[rows.length - 1] as string[];
    after = [last[0]!, last[1]!];
    if (rows.length < 20000) break;
  }
});
await session.close();
