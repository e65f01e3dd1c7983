import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { resolveServerConfig } from '../../src/config.ts';
import { BOOTSTRAP_KEY_FILE, type RunningServer, startServer } from '../../src/server/start.ts';

const silent = pino({ level: 'silent' });

describe('the demo on first start: PII discovered, starter policies enforced for each demo person', () => {
  let dir: string;
  let server: RunningServer;
  let key: string;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
  const query = async (as: string, sql: string): Promise<unknown[][]> => {
    const res = await api('POST', '/query', { as, sql });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    return res.json.rows;
  };
  const column = async (as: string, sql: string) => (await query(as, sql)).map((r) => r[0]);
  let customersId: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-demo-policies-'));
    server = await startServer(resolveServerConfig({ port: '0', host: '127.0.0.1', dataDir: dir }, {}), {
      logger: silent,
      announce: () => {},
    });
    key = readFileSync(join(dir, BOOTSTRAP_KEY_FILE), 'utf8').trim();
    const deadline = Date.now() + 120_000;
    for (;;) {
      const object = await api('GET', '/data/object/demo/demo/sales/customers');
      if (object.status === 200 && object.json.dataSourceId) {
        customersId = object.json.dataSourceId;
        const diff = await api('GET', `/policy/diff/${customersId}`);
        const employees = await api('GET', '/data/object/demo/demo/hr/employees');
        const hrDiff = employees.json?.dataSourceId
          ? await api('GET', `/policy/diff/${employees.json.dataSourceId}`)
          : undefined;
        const payments = await api('GET', '/data/object/demo/demo/sales/payments');
        const discovered = async (id: string | undefined) =>
          id !== undefined && (await api('GET', `/dataSource/${id}/discovery`)).json?.columns?.length > 0;
        const found =
          (await discovered(customersId)) &&
          (await discovered(employees.json?.dataSourceId)) &&
          (await discovered(payments.json?.dataSourceId));
        if (found && diff.json?.after && !diff.json.pending && hrDiff?.json?.after && !hrDiff.json.pending)
          break;
      }
      if (Date.now() > deadline) throw new Error('the demo was not governed within two minutes');
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the starter policy set once, all active', async () => {
    const listed = await api('GET', '/policy/global');
    assert.deepEqual(
      listed.json.hits.map((p: { policyKey: string; status: string }) => [p.policyKey, p.status]).sort(),
      [
        ['demo hr access', 'active'],
        ['demo mask pii', 'active'],
        ['demo round salaries', 'active'],
        ['demo rows by region', 'active'],
      ],
    );
  });

  it('shows Alice (Analysts, Region NA) only North American customers, with PII masked', async () => {
    assert.deepEqual(await column('alice', 'SELECT DISTINCT region FROM customers'), ['NA']);
    const emails = await column('alice', 'SELECT email FROM customers LIMIT 20');
    assert.ok(
      emails.length > 0 && emails.every((e) => /^[0-9a-f]{64}$/.test(String(e))),
      'emails are hashed',
    );
    const births = await column('alice', "SELECT DISTINCT to_char(date_of_birth, 'MM-DD') FROM customers");
    assert.deepEqual(births, ['01-01'], 'dates of birth are rounded to the year');
    const cards = await column(
      'alice',
      'SELECT card_number FROM payments WHERE card_number IS NOT NULL LIMIT 20',
    );
    assert.ok(
      cards.length > 0 && cards.every((c) => /^\*{12}.{4}$/.test(String(c))),
      'card numbers keep only their last four',
    );
    assert.deepEqual(
      await column('alice', 'SELECT count(*)::int FROM hr.employees'),
      [0],
      'HR tables are not hers',
    );
    assert.deepEqual(
      await column('alice', 'SELECT count(*)::int FROM sales.customers'),
      [0],
      'the base table hides every row with a masked cell',
    );
  });

  it('shows Priya (Privacy, every region) all customers in the clear, and salaries rounded', async () => {
    assert.deepEqual((await column('priya', 'SELECT DISTINCT region FROM customers ORDER BY 1')).length, 4);
    const emails = await column('priya', 'SELECT email FROM customers LIMIT 20');
    assert.ok(
      emails.every((e) => String(e).includes('@')),
      'emails in the clear',
    );
    const salaries = await column('priya', 'SELECT salary FROM employees');
    assert.ok(
      salaries.length > 0 && salaries.every((s) => Number(s) % 10000 === 0),
      'salaries rounded outside HR',
    );
    const [all] = await column('priya', 'SELECT count(*)::int FROM sales.customers');
    const [viewed] = await column('priya', 'SELECT count(*)::int FROM customers');
    assert.equal(all, viewed, 'nothing is masked for her, so the base table shows every row too');
  });

  it('shows Hana (HR, Region APAC) only APAC employees with exact salaries, and APAC customers masked', async () => {
    assert.deepEqual(await column('hana', 'SELECT DISTINCT region FROM employees'), ['APAC']);
    const salaries = await column('hana', 'SELECT salary FROM employees');
    assert.ok(
      salaries.some((s) => Number(s) % 10000 !== 0),
      'HR sees exact salaries',
    );
    const ssns = await column('hana', 'SELECT ssn FROM employees LIMIT 5');
    assert.ok(
      ssns.every((s) => /^[0-9a-f]{64}$/.test(String(s))),
      'HR is not Privacy: SSNs are hashed',
    );
    assert.deepEqual(await column('hana', 'SELECT DISTINCT region FROM customers'), ['APAC']);
  });

  it('keeps Dmitri (Data Platform) out of HR tables', async () => {
    assert.deepEqual(await column('dmitri', 'SELECT count(*)::int FROM employees'), [0]);
  });

  it('tags the demo PII by discovery, not by hand', async () => {
    const result = await api('GET', `/dataSource/${customersId}/discovery`);
    const byColumn = new Map(
      result.json.columns.map((c: { column: string; tags: string[] }) => [c.column, c.tags]),
    );
    for (const [column, tag] of [
      ['email', 'Discovered.Entity.Email Address'],
      ['first_name', 'Discovered.Entity.Person Name'],
      ['last_name', 'Discovered.Entity.Person Name'],
      ['phone', 'Discovered.Entity.Phone Number'],
      ['date_of_birth', 'Discovered.Entity.Date of Birth'],
    ] as const) {
      assert.ok(
        (byColumn.get(column) as string[] | undefined)?.includes(tag),
        `${column}: ${byColumn.get(column)}`,
      );
    }
    assert.deepEqual(byColumn.get('id') ?? [], [], 'ids carry no discovered tag');
  });

  it('explains why Alice sees a rounded date of birth: the discovered Date of Birth tag', async () => {
    const users = await api('GET', '/users?username=alice');
    const alice = (users.json.users ?? users.json.hits ?? users.json)[0];
    const info = await api('GET', `/dataSource/${customersId}/users/${alice.id}/policyInfo`);
    assert.equal(info.status, 200, JSON.stringify(info.json));
    const dob = info.json.masks.find((m: { column: string }) => m.column === 'date_of_birth');
    assert.deepEqual(dob.mask, { type: 'round', timePrecision: 'year' });
    assert.equal(dob.applies, true);
    assert.equal(dob.winner.policyKey, 'demo mask pii');
    assert.deepEqual(dob.losers, [], 'the hash rule does not name dates of birth, so nothing competes');
    assert.deepEqual(
      info.json.rowFilters.map((f: { applies: boolean }) => f.applies),
      [true],
    );
  });
});
