import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { verifyKeyring } from '../../src/secrets/canary.ts';
import { decryptSecret, encryptSecret, needsReencryption, secretKeyId } from '../../src/secrets/envelope.ts';
import { keyFingerprint, loadOrCreateKeyFile, parseKeyringSpec } from '../../src/secrets/keyring.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

const key = () => randomBytes(32).toString('base64');

describe('envelope encryption of secrets', () => {
  it('round-trips any text for the same context', () => {
    const ring = parseKeyringSpec(key());
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.string({ maxLength: 40 }),
        (text, context) => {
          const sealed = encryptSecret(ring, text, context);
          assert.equal(decryptSecret(ring, sealed, context), text);
          assert.ok(!sealed.includes(text) || text.length < 4, 'no plaintext in the sealed value');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('uses a fresh data key and IV every time', () => {
    const ring = parseKeyringSpec(key());
    assert.notEqual(encryptSecret(ring, 'same', 'c'), encryptSecret(ring, 'same', 'c'));
  });

  it('stores the key id beside the value', () => {
    const raw = randomBytes(32);
    const ring = parseKeyringSpec(raw.toString('hex'));
    assert.equal(secretKeyId(encryptSecret(ring, 'x', 'c')), keyFingerprint(raw));
    const named = parseKeyringSpec(`k2026:${raw.toString('base64')}`);
    assert.equal(secretKeyId(encryptSecret(named, 'x', 'c')), 'k2026');
  });

  it('fails loudly with the wrong key, a tampered value or another context', () => {
    const raw = randomBytes(32).toString('base64');
    const ring = parseKeyringSpec(`main:${raw}`);
    const sealed = encryptSecret(ring, 'hunter2', 'connection:demo');
    assert.throws(
      () => decryptSecret(parseKeyringSpec(`main:${key()}`), sealed, 'connection:demo'),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, 'SECRET_KEY_MISMATCH');
        assert.ok(!e.message.includes('hunter2'));
        return true;
      },
    );
    assert.throws(
      () => decryptSecret(parseKeyringSpec(key()), sealed, 'connection:demo'),
      /not in the configured keyring/,
    );
    const parts = sealed.split('$');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[body.length - 20]! ^= 1;
    parts[3] = body.toString('base64url');
    assert.throws(
      () => decryptSecret(ring, parts.join('$'), 'connection:demo'),
      /wrong or the value was altered/,
    );
    assert.throws(() => decryptSecret(ring, sealed, 'connection:other'), /wrong or the value was altered/);
    assert.throws(() => decryptSecret(ring, 'plaintext', 'c'), /not in a format/);
  });

  it('decrypts values under a retired key after rotation and flags them for re-encryption', () => {
    const oldKey = `old:${key()}`;
    const before = parseKeyringSpec(oldKey);
    const sealed = encryptSecret(before, 'token-value', 'c');
    const rotated = parseKeyringSpec(`new:${key()},${oldKey}`);
    assert.equal(rotated.primary.id, 'new');
    assert.equal(decryptSecret(rotated, sealed, 'c'), 'token-value');
    assert.equal(needsReencryption(rotated, sealed), true);
    assert.equal(needsReencryption(rotated, encryptSecret(rotated, 'token-value', 'c')), false);
  });

  it('rejects keys that are not 32 bytes', () => {
    assert.throws(() => parseKeyringSpec(Buffer.alloc(16).toString('base64')), /must be 32 bytes/);
    assert.throws(() => parseKeyringSpec(''), /at least one key/);
  });
});

describe('the secret key file', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'steward-keys-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is generated once, readable only by its owner, and stable across loads', () => {
    const file = join(dir, 'secret.key');
    const first = loadOrCreateKeyFile(file);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const second = loadOrCreateKeyFile(file);
    assert.equal(first.primary.id, second.primary.id);
    assert.ok(first.primary.key.equals(second.primary.key));
    assert.ok(!readFileSync(file, 'utf8').includes('\u0000'));
  });

  it('is refused when others can read it', () => {
    const file = join(dir, 'loose.key');
    loadOrCreateKeyFile(file);
    chmodSync(file, 0o644);
    assert.throws(() => loadOrCreateKeyFile(file), /can be read by other users/);
  });
});

describe('the key canary in the store', () => {
  let store: TestStore;
  before(async () => {
    store = await createTestStore();
  });
  after(async () => store.close());

  it('accepts the key that wrote it and stops a start with another key', async () => {
    const right = parseKeyringSpec(`a:${key()}`);
    await verifyKeyring(store.db, right);
    await verifyKeyring(store.db, right);
    await assert.rejects(verifyKeyring(store.db, parseKeyringSpec(`a:${key()}`)), /did not decrypt/);
    await assert.rejects(
      verifyKeyring(store.db, parseKeyringSpec(`b:${key()}`)),
      /not in the configured keyring/,
    );
  });

  it('moves the canary to the new primary key after a rotation', async () => {
    const base = `a:${key()}`;
    const fresh = await createTestStore();
    try {
      await verifyKeyring(fresh.db, parseKeyringSpec(base));
      const rotated = parseKeyringSpec(`b:${key()},${base}`);
      await verifyKeyring(fresh.db, rotated);
      const row = await fresh.db
        .selectFrom('steward_settings')
        .select('value')
        .where('key', '=', 'secrets.canary')
        .executeTakeFirstOrThrow();
      assert.equal(secretKeyId(row.value as string), 'b');
    } finally {
      await fresh.close();
    }
  });
});
