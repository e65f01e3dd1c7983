import type { Db } from '../store/schema.ts';
import { decryptSecret, encryptSecret, needsReencryption } from './envelope.ts';
import type { Keyring } from './keyring.ts';

const CANARY_KEY = 'secrets.canary';
const CANARY_TEXT = 'steward-secret-canary';
const CANARY_CONTEXT = 'steward_settings:secrets.canary';

/**
 * Checks the keyring against the store at start-up: the first start stores an encrypted canary, and
 * every later start must decrypt it, so a wrong STEWARD_SECRET_KEY stops the server before it writes
 * anything. A canary under a retired key is re-encrypted with the primary key.
 */
export async function verifyKeyring(db: Db, keyring: Keyring): Promise<void> {
  const row = await db
    .selectFrom('steward_settings')
    .select('value')
    .where('key', '=', CANARY_KEY)
    .executeTakeFirst();
  if (!row) {
    await db
      .insertInto('steward_settings')
      .values({ key: CANARY_KEY, value: JSON.stringify(encryptSecret(keyring, CANARY_TEXT, CANARY_CONTEXT)) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    return;
  }
  const stored = row.value as string;
  if (decryptSecret(keyring, stored, CANARY_CONTEXT) !== CANARY_TEXT) {
    throw new Error('The secret canary decrypted to an unexpected value.');
  }
  if (needsReencryption(keyring, stored)) {
    await db
      .updateTable('steward_settings')
      .set({
        value: JSON.stringify(encryptSecret(keyring, CANARY_TEXT, CANARY_CONTEXT)),
        updated_at: new Date(),
      })
      .where('key', '=', CANARY_KEY)
      .execute();
  }
}
