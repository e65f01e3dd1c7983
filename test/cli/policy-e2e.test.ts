import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliHarness, startCliHarness } from './cli-harness.ts';

describe('policy-as-code, explain and query against a real server with the demo warehouse', () => {
  let h: CliHarness;
  let env: Record<string, string>;
  const steward = (...args: string[]) => h.run(args, { env });

  before(async () => {
    h = await startCliHarness({ demo: true });
    env = { STEWARD_URL: h.server.url, STEWARD_API_KEY: h.adminKey };
    const headers = { authorization: h.adminKey };
    const deadline = Date.now() + 120_000;
    for (;;) {
      const object = await fetch(`${h.server.url}/data/object/demo/demo/sales/customers`, { headers });
      const id = object.ok ? ((await object.json()) as { dataSourceId: string | null }).dataSourceId : null;
      if (id) {
        const diff = (await (await fetch(`${h.server.url}/policy/diff/${id}`, { headers })).json()) as {
          after: unknown;
          pending: boolean;
        };
        if (diff.after && !diff.pending) break;
      }
      if (Date.now() > deadline) throw new Error('the demo was not governed within two minutes');
      await new Promise((r) => setTimeout(r, 250));
    }
  });
  after(async () => h?.close());

  it('runs a query as a demo person with their policies applied', async () => {
    const alice = await steward('query', '--as', 'alice', '--json', 'select distinct region from customers');
    assert.equal(alice.code, 0, alice.stderr);
    assert.deepEqual(JSON.parse(alice.stdout).rows, [['NA']]);
    const priya = await steward(
      'query',
      '--as',
      'priya',
      'select count(distinct region) as regions from customers',
    );
    assert.equal(priya.code, 0, priya.stderr);
    assert.match(priya.stdout, /\b4\b/);
    assert.match(priya.stdout, /\(1 row/);
  });

  it('explains which policy masks which column for a person', async () => {
    const run = await steward('explain', '--user', 'alice', '--datasource', 'demo/sales/customers');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /date_of_birth/);
    assert.match(run.stdout, /demo mask pii|Mask PII except for Privacy/);
    assert.match(run.stdout, /Region/);
    const json = await steward(
      'explain',
      '--user',
      'priya',
      '--datasource',
      'demo/sales/customers',
      '--json',
    );
    assert.equal(json.code, 0, json.stderr);
    const info = JSON.parse(json.stdout) as { masks: { applies: boolean }[] };
    assert.ok(info.masks.length > 0 && info.masks.every((m) => !m.applies), 'nothing is masked for privacy');
  });

  it('clones the server policies, plans no change, then plans and applies an edit', async () => {
    const dir = join(h.configDir, '..', 'policies');
    const clone = await steward('policy', 'clone', '-o', dir);
    assert.equal(clone.code, 0, clone.stderr);
    assert.equal(readdirSync(dir).length, 4);
    const clean = await steward('policy', 'plan', '-d', dir);
    assert.equal(clean.code, 0, `${clean.stdout}${clean.stderr}`);
    const file = readdirSync(dir).find((f) => f.includes('salar'));
    assert.ok(file);
    const path = join(dir, file);
    writeFileSync(path, readFileSync(path, 'utf8').replace('bucketSize: 10000', 'bucketSize: 1000'));
    const planned = await steward('policy', 'plan', '-d', dir);
    assert.equal(planned.code, 2, `${planned.stdout}${planned.stderr}`);
    assert.match(planned.stdout, /~ .*demo round salaries/);
    const applied = await steward('policy', 'apply', '-d', dir, '--yes');
    assert.equal(applied.code, 0, `${applied.stdout}${applied.stderr}`);
    const again = await steward('policy', 'plan', '-d', dir);
    assert.equal(again.code, 0, again.stdout);
  });
});
