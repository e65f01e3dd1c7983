import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateApiKey } from '../../src/auth/api-key.ts';
import { type CliHarness, closedPortUrl, startCliHarness } from './cli-harness.ts';

describe('steward configure', () => {
  let h: CliHarness;
  let nowhere = '';
  let keyFile: string;

  before(async () => {
    h = await startCliHarness();
    nowhere = await closedPortUrl();
    keyFile = join(h.configDir, '..', 'admin.key');
    writeFileSync(keyFile, h.adminKey + '\n', { mode: 0o600 });
  });
  after(async () => {
    await h?.close();
  });

  test('saves the profile in a 0700 directory and a 0600 file after verifying the key', async () => {
    const dir = h.freshConfigDir();
    const run = await h.run(['configure', '--url', h.server.url, '--key-file', keyFile], { configDir: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Signed in to http:\/\/127\.0\.0\.1:\d+ as admin \(user \d+\)/);
    const file = join(dir, 'config.json');
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { url: h.server.url, apiKey: h.adminKey });
  });

  test('accepts the key with --key and prints JSON with --json', async () => {
    const dir = h.freshConfigDir();
    const run = await h.run(['configure', '--url', h.server.url, '--key', h.adminKey, '--json'], {
      configDir: dir,
    });
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.verified, true);
    assert.equal(result.user.username, 'admin');
    assert.equal(result.url, h.server.url);
  });

  test('tightens the modes of a config directory and file that already existed', async () => {
    const dir = h.freshConfigDir();
    await h.run(['configure', '--url', h.server.url, '--key-file', keyFile, '--no-verify'], {
      configDir: dir,
    });
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'config.json'), 0o644);
    const run = await h.run(['configure', '--url', h.server.url, '--key-file', keyFile], { configDir: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, 'config.json')).mode & 0o777, 0o600);
  });

  test('refuses a key the server rejects and saves nothing', async () => {
    const dir = h.freshConfigDir();
    const malformedKey = `stw_${'A'.repeat(40)}`;
    const unknown = generateApiKey();
    const run = await h.run(['configure', '--url', h.server.url, '--key', unknown], { configDir: dir });
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /^error: The API key is invalid, expired or revoked; the profile was not saved/m,
    );
    assert.equal(existsSync(join(dir, 'config.json')), false);
    const malformed = await h.run(['configure', '--url', h.server.url, '--key', malformedKey], {
      configDir: dir,
    });
    assert.equal(malformed.code, 1);
    assert.match(malformed.stderr, /not a Steward API key/);
    assert.ok(!run.stderr.includes(unknown) && !malformed.stderr.includes(malformedKey));
  });

  test('saves without contacting the server with --no-verify', async () => {
    const dir = h.freshConfigDir();
    const run = await h.run(['configure', '--url', nowhere, '--key', h.adminKey, '--no-verify'], {
      configDir: dir,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /\(not verified\)/);
    assert.equal(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).url, nowhere);
  });

  test('fails with a message naming the URL when the server cannot be reached', async () => {
    const dir = h.freshConfigDir();
    const run = await h.run(['configure', '--url', nowhere, '--key', h.adminKey], { configDir: dir });
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`cannot reach the Steward server at ${nowhere} \\(ECONNREFUSED\\)`));
    assert.ok(!run.stderr.includes(h.adminKey));
  });

  test('shows the profile with the key cut to its first 10 characters', async () => {
    const dir = h.freshConfigDir();
    await h.run(['configure', '--url', h.server.url, '--key-file', keyFile], { configDir: dir });
    const run = await h.run(['configure', '--show'], { configDir: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`api key: +${h.adminKey.slice(0, 10)}… \\(file\\)`));
    assert.match(run.stdout, new RegExp(`url: +${h.server.url.replaceAll('.', '\\.')} \\(file\\)`));
    assert.ok(!run.stdout.includes(h.adminKey));
    const json = await h.run(['configure', '--show', '--json'], { configDir: dir });
    assert.equal(JSON.parse(json.stdout).apiKey, `${h.adminKey.slice(0, 10)}…`);
  });

  test('lets STEWARD_URL and STEWARD_API_KEY override the file, and the global flags override both', async () => {
    const dir = h.freshConfigDir();
    await h.run(['configure', '--url', nowhere, '--key', h.adminKey, '--no-verify'], {
      configDir: dir,
    });
    const fromFile = await h.run(['whoami'], { configDir: dir });
    assert.equal(fromFile.code, 1);
    const fromEnv = await h.run(['whoami'], { configDir: dir, env: { STEWARD_URL: h.server.url } });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    const flagOverEnv = await h.run(['whoami', '--url', nowhere], {
      configDir: dir,
      env: { STEWARD_URL: h.server.url },
    });
    assert.equal(flagOverEnv.code, 1);
    const badKey = await h.run(['whoami'], {
      configDir: dir,
      env: { STEWARD_URL: h.server.url, STEWARD_API_KEY: 'stw_not-a-key' },
    });
    assert.equal(badKey.code, 1);
    assert.match(badKey.stderr, /^error: /m);
    const show = await h.run(['configure', '--show'], { configDir: dir, env: { STEWARD_URL: h.server.url } });
    assert.match(show.stdout, /\(environment\)/);
  });

  test('exits 2 when --key and --key-file are both given', async () => {
    const run = await h.run(['configure', '--key', h.adminKey, '--key-file', keyFile], {
      configDir: h.freshConfigDir(),
    });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /cannot be used with/);
  });

  test('exits 2 without a key when stdin is not a terminal and no profile exists', async () => {
    const run = await h.run(['configure', '--url', h.server.url], { configDir: h.freshConfigDir() });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /give the API key with --key or --key-file/);
  });

  test('never prints the full API key', () => {
    assert.ok(h.runs.length > 10);
    for (const run of h.runs) {
      assert.ok(
        !run.stdout.includes(h.adminKey) && !run.stderr.includes(h.adminKey),
        run.stdout + run.stderr,
      );
    }
  });
});
