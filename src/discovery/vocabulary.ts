import type { Db } from '../store/schema.ts';
import { insertTagLineage } from '../tags/tag-store.ts';
import { BUILTIN_IDENTIFIERS } from './builtin-identifiers.ts';

const COUNTRY = 'Discovered.Country.';

/**
 * Creates the tags the built-in identifiers apply (`Discovered.Entity.Email Address`...) with their
 * parents, if missing, so policies can name them before discovery has found anything. Idempotent;
 * returns the tags it created.
 */
export async function ensureDiscoveryVocabulary(db: Db): Promise<string[]> {
  const described = new Map<string, string>();
  for (const i of BUILTIN_IDENTIFIERS) {
    for (const tag of i.tags) {
      if (described.has(tag)) continue;
      const country = tag.startsWith(COUNTRY) ? tag.slice(COUNTRY.length) : undefined;
      described.set(
        tag,
        country ? `Discovery found a format specific to ${country}.` : `Discovery found it (${i.name}).`,
      );
    }
  }
  return insertTagLineage(
    db,
    [...described].map(([name, description]) => ({ name, description })),
    'discovered',
    null,
  );
}
