import { performance } from 'node:perf_hooks';
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
const PAGE_CTE = `WITH page AS (
           SELECT c.oid, n.nspname, c.relname, c.relkind
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
              AND n.nspname = ANY($1::text[])
              AND (n.nspname::text COLLATE "C", c.relname::text COLLATE "C") > ($2::text COLLATE "C", $3::text COLLATE "C")
            ORDER BY n.nspname::text COLLATE "C", c.relname::text COLLATE "C"
            LIMIT $4)`;
const CURRENT = `${PAGE_CTE}
         SELECT p.nspname AS schema, p.relname AS table, p.relkind, td.description AS table_comment,
                a.attnum, a.attname AS column, t.typname, t.typcategory, a.atttypmod,
                NOT a.attnotnull AS nullable, cd.description AS column_comment
           FROM page p
           LEFT JOIN pg_attribute a ON a.attrelid = p.oid AND a.attnum > 0 AND NOT a.attisdropped
           LEFT JOIN pg_type t ON t.oid = a.atttypid
           LEFT JOIN pg_description td ON td.objoid = p.oid AND td.classoid = 'pg_class'::regclass AND td.objsubid = 0
           LEFT JOIN pg_description cd ON cd.objoid = p.oid AND cd.classoid = 'pg_class'::regclass AND cd.objsubid = a.attnum
          ORDER BY p.nspname::text COLLATE "C", p.relname::text COLLATE "C", a.attnum`;
const JSONAGG = `${PAGE_CTE}
         SELECT p.nspname AS schema, p.relname AS table, p.relkind, td.description AS table_comment,
                (SELECT json_agg(json_build_array(a.attnum, a.attname, t.typname, t.typcategory, a.atttypmod,
                                                  NOT a.attnotnull, cd.description) ORDER BY a.attnum)
                   FROM pg_attribute a
                   JOIN pg_type t ON t.oid = a.atttypid
                   LEFT JOIN pg_description cd ON cd.objoid = a.attrelid AND cd.classoid = 'pg_class'::regclass AND cd.objsubid = a.attnum
                  WHERE a.attrelid = p.oid AND a.attnum > 0 AND NOT a.attisdropped)::text AS columns
           FROM page p
           LEFT JOIN pg_description td ON td.objoid = p.oid AND td.classoid = 'pg_class'::regclass AND td.objsubid = 0
          ORDER BY p.nspname::text COLLATE "C", p.relname::text COLLATE "C"`;
async function paged(sql: string, batch: number, perTable: boolean, rowMode?: 'array') {
  let after = ['', ''];
  let n = 0;
  for (;;) {
    const { rows } = await client.query({
      text: sql,
      values: [schemas, after[0], after[1], batch],
      ...(rowMode ? { rowMode } : {}),
    });
    if (rows.length === 0) break;
    if (perTable)
      for (const r of rows as Array<{ columns: string }>) n += (JSON.parse(r.columns) as unknown[]).length;
    else n += rows.length;
    const last = rows[rows.length - 1] as Record<string, string> & string[];
    after = rowMode ? [last[0]!, last[1]!] : [last['schema']!, last['table']!];
    if ((perTable ? rows.length : n) < batch) {
      if (perTable) break;
    }
    if (!perTable && rows.length < batch * 10) break;
  }
  if (n !== 100000) throw new Error(`n ${n}`);
}
const serverOnly = (sql: string, batch: number) => async () => {
  // server execution, tiny result: count(*) over the same query (one page)
  let after = ['', ''];
  for (let i = 0; i < Math.ceil(10000 / batch); i++) {
    const { rows } = await client.query(
      `SELECT count(*)::int AS n, max(schema) AS s, max("table") AS t FROM (${sql}) q`,
      [schemas, after[0], after[1], batch],
    );
    after = [rows[0].s, rows[0].t];
  }
};
const variants: Array<[string, () => Promise<unknown>]> = [
  [
    'readTables() as is',
    async () => {
      for await (const _ of platform.readTables(session, 'crawl_probe', schemas)) {
      }
    },
  ],
  ['current query, 2000/batch, objects', () => paged(CURRENT, 2000, false)],
  ['current query, 2000/batch, rowMode array', () => paged(CURRENT, 2000, false, 'array')],
  ['current query, server only (count wrapper)', serverOnly(CURRENT, 2000)],
  ['json_agg per table, 2000/batch (+JSON.parse)', () => paged(JSONAGG, 2000, true)],
  ['json_agg per table, 10000/batch (+JSON.parse)', () => paged(JSONAGG, 10000, true)],
  ['json_agg server only (count wrapper)', serverOnly(JSONAGG, 2000)],
];
const results = new Map<string, number[]>();
for (let round = 0; round < 5; round++) {
  for (let i = 0; i < variants.length; i++) {
    const [label, fn] = variants[(i + round) % variants.length]!;
    const s = performance.now();
    await fn();
    const ms = performance.now() - s;
    results.set(label, [...(results.get(label) ?? []), ms]);
  }
}
for (const [label, ms] of results) {
  const sorted = [...ms].sort((a, b) => a - b);
  console.log(
    label.padEnd(50),
    'median',
    sorted[2]!.toFixed(0).padStart(5),
    'ms   all',
    ms.map((x) => x.toFixed(0)).join(' '),
  );
}
await session.close();
