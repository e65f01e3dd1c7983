import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { pino } from 'pino';
import { luhnCheckDigit } from '../../src/discovery/check-digits.ts';
import { quoteIdent } from '../../src/platforms/postgres/quote.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { runBulk, settleJobs } from '../support/jobs.ts';
import {
  createEmbeddedWarehouse,
  createServerWarehouse,
  platformsFor,
  type TestWarehouse,
} from '../support/warehouse.ts';

const ROWS = 60;
const sfx = randomBytes(3).toString('hex');
const CANARY = `zq7canary${sfx}`;

/** A valid 16-digit card number (Luhn) made of a fixed prefix and the row number. */
const card = (i: number): string => {
  const body = `4929${sfx.replace(/[a-f]/g, '7')}${String(i).padStart(5, '0')}`.slice(0, 15);
  return body + luhnCheckDigit(body);
};
const ssn = (i: number): string =>
  `${String(123 + i).padStart(3, '0')}-${String(10 + (i % 89)).padStart(2, '0')}-${String(1000 + i * 7)}`;
const email = (i: number): string => `${CANARY}.${i}@leak-check.example`;
const note = (i: number): string => `call back, or mail ${CANARY}-note-${i}@example.com about order ${i}`;

/** Every sampled value long enough to be searched for without false alarms. */
const SECRETS = Array.from({ length: ROWS }, (_, i) => [
  email(i + 1),
  card(i + 1),
  ssn(i + 1),
  note(i + 1),
]).flat();

for (const kind of ['embedded', 'server'] as const) {
  describe(`discovery on a real PostgreSQL (${kind} warehouse): hit counts in the platform, tags in Steward`, () => {
    let wh: TestWarehouse;
    let t: TestApp;
    let dataSourceId: string;
    const owner = `disc_owner_${sfx}`;
    const runnerLogs: string[] = [];
    const runnerLogger = pino(
      { level: 'trace' },
      new Writable({
        write(chunk, _enc, done) {
          runnerLogs.push(String(chunk));
          done();
        },
      }),
    );

    const call = async (method: string, url: string, payload?: unknown, key?: string) =>
      t.app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: key ?? t.adminKey },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    const ok = async (method: string, url: string, payload?: unknown) => {
      const res = await call(method, url, payload);
      assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.body ? res.json() : undefined;
    };
    const settle = () => settleJobs(t.deps, runnerLogger);
    const results = async () => {
      const body = await ok('GET', `/dataSource/${dataSourceId}/discovery`);
      return new Map<string, Record<string, unknown>>(
        body.columns.map((c: { column: string }) => [c.column, c]),
      );
    };
    const tagsOf = async (column: string) =>
      (
        await t.deps.store.db
          .selectFrom('object_tags as ot')
          .innerJoin('tags as tg', 'tg.id', 'ot.tag_id')
          .select(['tg.name', 'ot.source', 'ot.status'])
          .where('ot.object_id', '=', dataSourceId)
          .where('ot.column_name', '=', column)
          .orderBy('tg.name')
          .execute()
      ).map((r) => `${r.name} ${r.source} ${r.status}`);

    before(async () => {
      wh = kind === 'server' ? await createServerWarehouse() : await createEmbeddedWarehouse();
      const values = Array.from(
        { length: ROWS },
        (_, k) =>
          `(${k + 1}, '${email(k + 1)}', '${card(k + 1)}', '${note(k + 1)}', DATE '1970-01-01' + ${k * 97}, '${ssn(k + 1)}', '${String(10000 + k * 131).slice(0, 5)}', ${k % 20 === 0 ? `'${k}'` : 'NULL'})`,
      );
      await wh.exec(
        [
          `CREATE ROLE ${quoteIdent(owner)}`,
          `GRANT ${quoteIdent(owner)} TO ${quoteIdent(wh.role)}`,
          `CREATE SCHEMA disc AUTHORIZATION ${quoteIdent(owner)}`,
          `SET ROLE ${quoteIdent(owner)}`,
          'CREATE TABLE disc."People Data" (id integer PRIMARY KEY, contact text, card text, note text, born date, ident text, code text, sparse text)',
          `INSERT INTO disc."People Data" VALUES ${values.join(', ')}`,
          'RESET ROLE',
        ].join(';\n'),
      );
      t = await createTestApp({ platforms: platformsFor(wh) });
      await ok('POST', '/data/connection', {
        connectionKey: 'disc',
        connection: wh.connection,
        settings: { isActive: true },
      });
      await settle();
      const found = await ok('GET', '/dataSource?searchText=People');
      dataSourceId = String(found.dataSources[0].id);
    });

    after(async () => {
      await t?.close();
      if (kind === 'server') {
        await wh.exec('DROP SCHEMA IF EXISTS disc CASCADE').catch(() => {});
        await wh
          .exec(`DROP OWNED BY ${quoteIdent(owner)}; DROP ROLE IF EXISTS ${quoteIdent(owner)}`)
          .catch(() => {});
      }
      await wh?.drop();
    });

    it('discovers a new data source on its first sync and tags what it finds', async () => {
      const r = await results();
      assert.equal(r.get('contact')?.identifier, 'EMAIL_ADDRESS');
      assert.equal(r.get('contact')?.evaluatedIn, 'platform');
      assert.equal((r.get('contact')?.hitRates as Record<string, number> | undefined)?.EMAIL_ADDRESS, 1);
      assert.equal(r.get('contact')?.sampled, ROWS);
      assert.equal(r.get('card')?.identifier, 'CREDIT_CARD_NUMBER');
      assert.equal(
        r.get('card')?.evaluatedIn,
        'platform+steward',
        'the Luhn check ran in Steward on the sample',
      );
      assert.equal(r.get('ident')?.identifier, 'US_SSN');
      assert.equal(
        r.get('note')?.identifier,
        null,
        'free text that mentions an email is not an email column',
      );
      assert.equal(r.get('born')?.identifier, 'DATE_ISO', 'a date column is read as ISO text');
      assert.equal(r.get('sparse')?.sampled, 3, 'rates are over non-null values');
      assert.ok((await tagsOf('contact')).includes('Discovered.Entity.Email Address discovered active'));
      assert.ok((await tagsOf('card')).includes('Discovered.Entity.Credit Card Number discovered active'));
      assert.deepEqual(await tagsOf('note'), []);
      assert.deepEqual(await tagsOf('id'), []);
    });

    it('refuses bad run requests with a problem naming the field, and queues nothing', async () => {
      const before = await t.deps.store.db
        .selectFrom('jobs')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow();
      const both = await call('POST', '/sdd/run', { connectionKey: 'disc', dataSourceIds: [dataSourceId] });
      assert.equal(both.statusCode, 400);
      assert.match(both.headers['content-type'] as string, /application\/problem\+json/);
      assert.equal(both.json().errors[0].pointer, '#/dataSourceIds');
      const unknown = await call('POST', '/sdd/run', { dataSourceIds: ['999999999'] });
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().errors[0].pointer, '#/dataSourceIds/0');
      const template = await call('POST', '/sdd/run', { connectionKey: 'disc', template: 'NO_SUCH' });
      assert.equal(template.statusCode, 400);
      assert.equal(template.json().errors[0].pointer, '#/template');
      const plain = await t.userWith([]);
      const denied = await call('POST', '/sdd/run', { connectionKey: 'disc' }, plain.key);
      assert.equal(denied.statusCode, 403);
      const after = await t.deps.store.db
        .selectFrom('jobs')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(after.n, before.n);
    });

    it('dry run reports the tags it would change and stores nothing', async () => {
      await wh.exec(`UPDATE disc."People Data" SET code = 'n/a'`);
      const snapshot = async () => ({
        results: await t.deps.store.db
          .selectFrom('column_discovery')
          .selectAll()
          .orderBy('column_name')
          .execute(),
        tags: await t.deps.store.db.selectFrom('object_tags').selectAll().orderBy('column_name').execute(),
      });
      const beforeRun = await snapshot();
      const run = await ok('POST', '/sdd/run', { dataSourceIds: [dataSourceId], dryRun: true });
      assert.equal(run.dataSources, 1);
      const jobs = await runBulk(t.deps, run.bulkId, 60_000, runnerLogger);
      assert.deepEqual(
        jobs.map((j) => j.state),
        ['completed'],
      );
      const items = await ok('GET', `/jobs/${jobs[0]!.id}/items`);
      const detail = items.items[0].detail;
      const code = detail.columns.find((c: { column: string }) => c.column === 'code');
      assert.equal(code.identifier, null);
      assert.ok(code.removed.length > 0, 'the code column would lose its discovered tags');
      assert.deepEqual(await snapshot(), beforeRun);
    });

    it('does not re-apply a rejected tag, keeps a confirmed one, and removes discovered tags no longer found', async () => {
      const rejected = await ok('POST', '/sdd/tags/reject', {
        dataSourceId,
        column: 'contact',
        tag: 'Discovered.Entity.Email Address',
      });
      assert.equal(rejected.status, 'rejected');
      await ok('POST', '/sdd/tags/confirm', {
        dataSourceId,
        column: 'card',
        tag: 'Discovered.Entity.Credit Card Number',
      });
      const codeTags = await tagsOf('code');
      assert.ok(codeTags.length > 0, `the code column was tagged first: ${codeTags}`);
      await wh.exec(`UPDATE disc."People Data" SET card = 'none on file'`);
      const run = await ok('POST', '/sdd/run', { dataSourceIds: [Number(dataSourceId)] });
      const jobs = await runBulk(t.deps, run.bulkId, 60_000, runnerLogger);
      assert.equal(jobs[0]!.state, 'completed');
      const items = await ok('GET', `/jobs/${jobs[0]!.id}/items`);
      const contact = items.items[0].detail.columns.find((c: { column: string }) => c.column === 'contact');
      assert.deepEqual(contact.rejected, ['Discovered.Entity.Email Address']);
      assert.ok((await tagsOf('contact')).includes('Discovered.Entity.Email Address discovered rejected'));
      assert.ok(
        (await tagsOf('card')).includes('Discovered.Entity.Credit Card Number discovered active'),
        'a confirmed tag stays although the values no longer match',
      );
      assert.deepEqual(await tagsOf('code'), [], 'unconfirmed discovered tags no longer found are removed');
      const r = await results();
      assert.equal(r.get('card')?.identifier, null);
      assert.equal(r.get('contact')?.identifier, 'EMAIL_ADDRESS');
      assert.deepEqual(r.get('contact')?.tags, [], 'the stored result lists only tags applied');
      const audit = await t.deps.store.db
        .selectFrom('audit_events')
        .select('action')
        .where('action', 'in', [
          'DiscoveredTagRejected',
          'DiscoveredTagConfirmed',
          'discovery.completed',
          'SddRunRequested',
        ])
        .execute();
      assert.ok(audit.some((a) => a.action === 'DiscoveredTagRejected'));
      assert.ok(audit.some((a) => a.action === 'discovery.completed'));
    });

    it('discovers only new and retyped columns after a sync, leaving existing tags untouched', async () => {
      const beforeResults = await results();
      assert.equal(beforeResults.get('code')?.identifier, null, 'the codes were replaced by words');
      await wh.exec(
        `ALTER TABLE disc."People Data" ADD COLUMN mobile text; UPDATE disc."People Data" SET mobile = '+4479' || lpad(id::text, 8, '0');
         UPDATE disc."People Data" SET code = lpad((10000 + id * 131)::text, 5, '0');
         ALTER TABLE disc."People Data" ALTER COLUMN code TYPE varchar(10)`,
      );
      await ok('POST', '/data/crawl/disc');
      await settle();
      const r = await results();
      assert.equal(r.get('mobile')?.identifier, 'PHONE_NUMBER_E164');
      assert.notEqual(r.get('code')?.identifier, null, 'a retyped column is discovered again');
      assert.notEqual(r.get('code')?.discoveredAt, beforeResults.get('code')?.discoveredAt);
      assert.equal(r.get('contact')?.discoveredAt, beforeResults.get('contact')?.discoveredAt);
      assert.equal(r.get('card')?.discoveredAt, beforeResults.get('card')?.discoveredAt);
      assert.ok((await tagsOf('contact')).includes('Discovered.Entity.Email Address discovered rejected'));
    });

    it('lets no sampled value reach the store, a log line or an audit event', async () => {
      const db = t.deps.store.db;
      const { rows: tables } = await sql<{ s: string; n: string }>`
        SELECT table_schema AS s, table_name AS n FROM information_schema.tables
         WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`.execute(
        db,
      );
      assert.ok(tables.some((x) => x.n === 'audit_events') && tables.some((x) => x.n === 'column_discovery'));
      let dump = '';
      for (const table of tables) {
        const { rows } = await sql<{
          t: string;
        }>`SELECT x::text AS t FROM ${sql.table(`${table.s}.${table.n}`)} x`.execute(db);
        dump += rows.map((r) => r.t).join('\n');
      }
      const logs = [...t.logs, ...runnerLogs].join('\n');
      assert.ok(dump.length > 10_000, 'the dump is not empty');
      assert.ok(logs.length > 1000, 'the logs are not empty');
      for (const secret of SECRETS) {
        assert.ok(!dump.includes(secret), 'a sampled value is in the store');
        assert.ok(!logs.includes(secret), 'a sampled value is in the logs');
      }
      assert.ok(!dump.includes(CANARY) && !logs.includes(CANARY));
    });
  });
}
