import { sql } from 'kysely';
import { recordAudit } from '../audit/record.ts';
import { SYSTEM_ACTOR } from '../domain/actor.ts';
import type { Permission } from '../domain/permission.ts';
import type { Db } from '../store/schema.ts';

/** A person of the demo: their groups and attributes give later policies someone to act on. */
export interface DemoPerson {
  readonly username: string;
  readonly name: string;
  readonly email: string;
  readonly permissions: readonly Permission[];
  readonly groups: readonly string[];
  readonly attributes: Readonly<Record<string, readonly string[]>>;
}

/** The demo people: analysts in two regions, a privacy officer, an HR partner and a data platform admin. */
export const DEMO_PEOPLE: readonly DemoPerson[] = [
  {
    username: 'alice',
    name: 'Alice Analyst',
    email: 'alice@halcyon-goods.example',
    permissions: [],
    groups: ['Analysts'],
    attributes: { Region: ['NA'], Department: ['Sales'] },
  },
  {
    username: 'emil',
    name: 'Emil Analyst',
    email: 'emil@halcyon-goods.example',
    permissions: [],
    groups: ['Analysts'],
    attributes: { Region: ['EMEA'], Department: ['Sales'] },
  },
  {
    username: 'priya',
    name: 'Priya Privacy',
    email: 'priya@halcyon-goods.example',
    permissions: ['GOVERNANCE', 'AUDIT'],
    groups: ['Privacy'],
    attributes: { Region: ['NA', 'EMEA', 'APAC', 'LATAM'], Department: ['Legal'] },
  },
  {
    username: 'hana',
    name: 'Hana HR',
    email: 'hana@halcyon-goods.example',
    permissions: [],
    groups: ['HR'],
    attributes: { Region: ['APAC'], Department: ['People'] },
  },
  {
    username: 'dmitri',
    name: 'Dmitri Platform',
    email: 'dmitri@halcyon-goods.example',
    permissions: ['APPLICATION_ADMIN', 'USER_ADMIN'],
    groups: ['Data Platform'],
    attributes: { Region: ['EMEA'], Department: ['Engineering'] },
  },
];

/**
 * Creates the demo people with their groups and attributes, audited as done by Steward, unless a user
 * of that name exists. They have no API keys: an admin issues keys to act as them.
 */
export async function seedDemoPeople(db: Db): Promise<string[]> {
  const created: string[] = [];
  for (const person of DEMO_PEOPLE) {
    const user = await db
      .insertInto('users')
      .values({
        username: person.username,
        name: person.name,
        email: person.email,
        state: 'active',
        permissions: [...person.permissions],
      })
      .onConflict((oc) => oc.expression(sql`lower(username)`).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!user) continue;
    for (const group of person.groups) {
      await db
        .insertInto('groups')
        .values({ name: group, description: `Demo group ${group}`, external_id: null })
        .onConflict((oc) => oc.expression(sql`lower(name)`).doNothing())
        .execute();
      const row = await db
        .selectFrom('groups')
        .select('id')
        .where((eb) => eb(eb.fn('lower', ['name']), '=', group.toLowerCase()))
        .executeTakeFirstOrThrow();
      await db
        .insertInto('group_members')
        .values({ group_id: row.id, user_id: user.id })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    const values = Object.entries(person.attributes).flatMap(([key, vs]) =>
      vs.map((v) => ({ user_id: user.id, attribute_key: key, attribute_value: v })),
    );
    if (values.length > 0)
      await db
        .insertInto('user_attributes')
        .values(values)
        .onConflict((oc) => oc.doNothing())
        .execute();
    await recordAudit(
      db,
      { actor: SYSTEM_ACTOR },
      {
        action: 'UserCreated',
        targets: [{ type: 'user', id: String(user.id), name: person.username }],
        payload: {
          username: person.username,
          demo: true,
          groups: person.groups,
          attributes: person.attributes,
          permissions: person.permissions,
        },
      },
    );
    created.push(person.username);
  }
  return created;
}
