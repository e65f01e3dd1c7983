import { sql } from 'kysely';
import { requestEnforcement } from '../../../policy/request-enforcement.ts';
import type { Db } from '../../../store/schema.ts';

/**
 * Requests enforcement everywhere when a purpose restriction exists: a restriction to `ANY` purpose
 * lists every purpose in its plan, so creating or deleting a purpose changes what is wanted.
 */
export async function requestPurposeReplan(db: Db): Promise<void> {
  const restricted = await db
    .selectFrom('policies')
    .select('id')
    .where(sql<boolean>`document::text LIKE '%Purpose Restriction%'`)
    .executeTakeFirst();
  if (restricted) await requestEnforcement(db, 'all');
}
