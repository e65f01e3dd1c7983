import { performance } from 'node:perf_hooks';
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import pg from 'pg';
import type { Platform, PlatformSession } from '../src/platforms/platform.ts';
import { createPostgresPlatform } from '../src/platforms/postgres/index.ts';
import { createTestApp } from '../test/support/app.ts';
import { runBulk } from '../test/support/jobs.ts';
import { createTestStore } from '../test/support/store.ts';

const backend = (process.argv[2] ?? 'embedded') as 'embedded' | 'postgres';
const stats = new Map<string, { n: number; ms: number }>();
const add = (label: string, ms: number) => {
  const s = stats.get(label) ?? { n: 0, ms: 0 };
  s.n++;
  s.ms += ms;
  stats.set(label, s);
};
const starts = new WeakMap<object, { t: number; label: string }>();
function labelOf(node: RootOperationNode): string {
  const n = node as unknown as {
    kind: string;
    sqlFragments?: string[];
    from?: { froms: Array<{ table?: { identifier?: { name: string } } }> };
    table?: { table?: { identifier?: { name: string } } };
    into?: { table?: { identifier?: { name: string } } };
  };
  if (n.kind === 'RawNode')
    return 'raw: ' + (n.sqlFragments ?? []).join('?').replace(/\s+/g, ' ').trim().slice(0, 90);
  const tbl =
    n.from?.froms?.[0]?.table?.identifier?.name ??
    n.table?.table?.identifier?.name ??
    n.into?.table?.identifier?.name ??
    '?';
  return `${n.kind} ${tbl}`;
}
const timer: KyselyPlugin = {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    starts.set(args.queryId, { t: performance.now(), label: labelOf(args.node) });
    return args.node;
  },
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const s = starts.get(args.queryId);
    if (s) add(s.label, performance.now() - s.t);
    return args.result;
  },
};
const base = createPostgresPlatform();
const platform: Platform<PlatformSession> = {
  ...(base as unknown as Platform<PlatformSession>),
  async *readTables(session, database, schemas, signal) {
    const it = base.readTables(session as never, database, schemas)[Symbol.asyncIterator]();
    for (;;) {
      const s = performance.now();
      const r = await it.next();
      add('platform.readTables batch (query+assemble)', performance.now() - s);
      if (r.done) return;
      const y = performance.now();
      yield r.value;
      add('consumer: syncTableBatch txn (between yields)', performance.now() - y);
    }
  },
};
const store = await createTestStore(backend);
const t = await createTestApp({ store, platforms: new Map([['PostgreSQL', platform]]) });
const deps = { ...t.deps, store: { ...t.deps.store, db: t.deps.store.db.withPlugin(timer) } };
const connection = {
  technology: 'PostgreSQL',
  hostname: '127.0.0.1',
  port: 5432,
  database: 'crawl_probe',
  authenticationType: 'userPassword',
  username: 'steward_probe_svc',
  password: 'test-password',
};
async function step(name: string, url: string, payload?: unknown) {
  stats.clear();
  const s = performance.now();
  const res = await t.app.inject({
    method: 'POST',
    url,
    payload: payload as never,
    headers: { authorization: t.adminKey },
  });
  const [job] = await runBulk(deps as never, res.json().bulkId, 900_000);
  const total = performance.now() - s;
  console.log(
    `\n== ${backend} ${name}: ${total.toFixed(0)} ms, job ${job!.completed_at!.getTime() - job!.started_at!.getTime()} ms, state ${job!.state}`,
  );
  for (const [k, v] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14))
    console.log(`${v.ms.toFixed(0).padStart(7)} ms ${String(v.n).padStart(5)}x  ${k}`);
}
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/crawl_probe' });
await admin.connect();
try {
  await step('first', '/data/connection', {
    connectionKey: 'bench',
    connection,
    settings: { isActive: true },
  });
  await step('resync unchanged', '/data/crawl/bench');
  await admin.query(
    `DO $$ DECLARE s int; t int; BEGIN FOR s IN 1..20 LOOP FOR t IN 1..5 LOOP EXECUTE format('ALTER TABLE %I.%I ADD COLUMN bench_added text', 'sch_' || s, 'tbl_' || t); END LOOP; END LOOP; END$$`,
  );
  await step('resync 100 changed', '/data/crawl/bench');
} finally {
  await admin.query(
    `DO $$ DECLARE s int; t int; BEGIN FOR s IN 1..20 LOOP FOR t IN 1..5 LOOP EXECUTE format('ALTER TABLE %I.%I DROP COLUMN IF EXISTS bench_added', 'sch_' || s, 'tbl_' || t); END LOOP; END LOOP; END$$`,
  );
  await admin.end();
  await t.close();
}
