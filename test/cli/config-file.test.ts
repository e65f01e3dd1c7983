import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CliError } from '../../src/cli/cli-error.ts';
import {
  configDir,
  maskApiKey,
  readStoredProfile,
  resolveProfile,
  writeStoredProfile,
} from '../../src/cli/config-file.ts';

describe('CLI profile file', () => {
  const root = mkdtempSync(join(tmpdir(), 'steward-profile-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  test('lives in STEWARD_CONFIG_DIR, else XDG_CONFIG_HOME/steward, else ~/.config/steward', () => {
    assert.equal(configDir({ STEWARD_CONFIG_DIR: '/a', XDG_CONFIG_HOME: '/b' }), '/a');
    assert.equal(configDir({ XDG_CONFIG_HOME: '/b' }), '/b/steward');
    assert.equal(configDir({}), join(homedir(), '.config', 'steward'));
  });

  test('is written with mode 0600 in a directory with mode 0700 and read back', () => {
    const file = join(root, 'nested', 'config.json');
    writeStoredProfile(file, { url: 'http://h:1', apiKey: 'stw_k' });
    assert.equal(statSync(join(root, 'nested')).mode & 0o777, 0o700);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readStoredProfile(file), { url: 'http://h:1', apiKey: 'stw_k' });
  });

  test('reads as empty when absent and fails clearly when it is not JSON', () => {
    assert.deepEqual(readStoredProfile(join(root, 'missing.json')), {});
    const bad = join(root, 'bad.json');
    writeFileSync(bad, '{nope');
    assert.throws(
      () => readStoredProfile(bad),
      (e: unknown) => e instanceof CliError && /not valid JSON/.test(e.message),
    );
  });

  test('is overridden by STEWARD_URL and STEWARD_API_KEY, which the flags override in turn', () => {
    const dir = join(root, 'precedence');
    writeStoredProfile(join(dir, 'config.json'), { url: 'http://file:1', apiKey: 'file-key' });
    const env = { STEWARD_CONFIG_DIR: dir };
    const fromFile = resolveProfile(env, {});
    assert.deepEqual(
      [fromFile.url, fromFile.urlSource, fromFile.apiKey],
      ['http://file:1', 'file', 'file-key'],
    );
    const fromEnv = resolveProfile({ ...env, STEWARD_URL: 'http://env:2/', STEWARD_API_KEY: 'env-key' }, {});
    assert.deepEqual(
      [fromEnv.url, fromEnv.apiKey, fromEnv.apiKeySource],
      ['http://env:2', 'env-key', 'environment'],
    );
    const fromFlags = resolveProfile(
      { ...env, STEWARD_URL: 'http://env:2', STEWARD_API_KEY: 'env-key' },
      { url: 'http://flag:3', apiKey: 'flag-key' },
    );
    assert.deepEqual(
      [fromFlags.url, fromFlags.apiKey, fromFlags.urlSource],
      ['http://flag:3', 'flag-key', 'flag'],
    );
  });

  test('defaults to the local server and no key', () => {
    const profile = resolveProfile({ STEWARD_CONFIG_DIR: join(root, 'empty') }, {});
    assert.equal(profile.url, 'http://localhost:8080');
    assert.equal(profile.apiKey, undefined);
  });

  test('rejects an invalid STEWARD_URL naming the variable', () => {
    assert.throws(
      () => resolveProfile({ STEWARD_CONFIG_DIR: join(root, 'empty'), STEWARD_URL: 'localhost' }, {}),
      /STEWARD_URL is invalid/,
    );
  });

  test('masks a key to its first 10 characters and an ellipsis', () => {
    assert.equal(maskApiKey('stw_0123456789abcdefghij'), 'stw_012345…');
    assert.equal(maskApiKey('short'), 'sh…');
  });
});
