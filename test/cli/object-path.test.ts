import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { objectPath, objectPathText, objectUrl } from '../../src/cli/object-path.ts';

describe('object path arguments', () => {
  test('splits names on slashes and ignores one trailing slash', () => {
    assert.deepEqual(objectPath('demo/postgres/sales'), ['demo', 'postgres', 'sales']);
    assert.deepEqual(objectPath('demo/postgres/'), ['demo', 'postgres']);
    assert.deepEqual(objectPath('demo'), ['demo']);
  });

  test('reads \\/ as a slash inside a name and \\\\ as a backslash', () => {
    assert.deepEqual(objectPath('demo/db/a\\/b'), ['demo', 'db', 'a/b']);
    assert.deepEqual(objectPath('demo/x\\\\/y'), ['demo', 'x\\', 'y']);
  });

  test('refuses empty names as a usage error', () => {
    for (const text of ['', '/', 'demo//sales', '/demo', 'demo//']) {
      assert.throws(() => objectPath(text), InvalidArgumentError, JSON.stringify(text));
    }
  });

  test('percent-encodes each name on its own in URLs', () => {
    assert.equal(
      objectUrl('/data/object', ['demo', 'a/b', 'c d?#%']),
      '/data/object/demo/a%2Fb/c%20d%3F%23%25',
    );
  });

  test('renders paths so that they parse back to the same names', () => {
    for (const names of [['demo', 'a/b', 'c\\'], ['x'], ['a\\/b', 'c']]) {
      assert.deepEqual(objectPath(objectPathText(names)), names);
    }
  });
});
