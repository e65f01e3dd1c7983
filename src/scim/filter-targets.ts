import { type RawBuilder, sql } from 'kysely';
import type { FilterTarget, SqlAttribute, SqlMulti, SqlScalar } from './filter/to-sql.ts';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './urns.ts';

const text = (expr: RawBuilder<unknown>, caseExact = false): SqlScalar => ({
  kind: 'scalar',
  type: 'string',
  caseExact,
  expr,
});
const time = (expr: RawBuilder<unknown>): SqlScalar => ({
  kind: 'scalar',
  type: 'dateTime',
  caseExact: true,
  expr,
});

function complex(subs: Record<string, SqlScalar>): SqlAttribute {
  const byLower = new Map(Object.entries(subs).map(([k, v]) => [k.toLowerCase(), v]));
  return { kind: 'complex', sub: (name) => byLower.get(name.toLowerCase()) };
}

function multi(subs: Record<string, SqlScalar>, exists: SqlMulti['exists']): SqlMulti {
  const byLower = new Map(Object.entries(subs).map(([k, v]) => [k.toLowerCase(), v]));
  return { kind: 'multi', sub: (name) => byLower.get(name.toLowerCase()), exists };
}

/** The elements of a JSON list kept in `users.scim` (`emails`, `phoneNumbers`), as `e.v`. */
function jsonList(list: RawBuilder<unknown>): SqlMulti {
  const element = (key: string) => sql`e.v ->> ${key}::text`;
  return multi(
    {
      value: text(element('value')),
      display: text(element('display')),
      type: text(element('type')),
      primary: { kind: 'scalar', type: 'boolean', caseExact: true, expr: sql`(e.v ->> 'primary')::boolean` },
    },
    (predicate) =>
      sql`EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(${list}) = 'array' THEN ${list} ELSE '[]'::jsonb END) AS e(v) WHERE ${predicate})`,
  );
}

function resolver(
  core: string,
  attributes: Record<string, SqlAttribute>,
  extensions: Record<string, SqlAttribute>,
) {
  const byLower = new Map(Object.entries(attributes).map(([k, v]) => [k.toLowerCase(), v]));
  const extensionSubs = new Map(Object.entries(extensions).map(([k, v]) => [k.toLowerCase(), v]));
  const target: FilterTarget = (uri, name) => {
    if (uri === undefined || uri.toLowerCase() === core.toLowerCase()) return byLower.get(name.toLowerCase());
    const extension = extensionSubs.get(uri.toLowerCase());
    return extension?.kind === 'complex' ? extension.sub(name) : undefined;
  };
  return target;
}

const userScim = (key: string) => sql`u.scim ->> ${key}::text`;
const enterprise = (key: string) => text(sql`u.scim -> ${ENTERPRISE_USER_SCHEMA}::text ->> ${key}::text`);

/** The filterable attributes of SCIM Users, over `users AS u`. */
export const USER_FILTER_TARGET: FilterTarget = resolver(
  USER_SCHEMA,
  {
    id: { kind: 'scalar', type: 'id', caseExact: true, expr: sql.ref('u.id') },
    userName: text(sql.ref('u.username')),
    displayName: text(sql.ref('u.name')),
    externalId: text(sql.ref('u.external_id'), true),
    active: { kind: 'scalar', type: 'boolean', caseExact: true, expr: sql`(u.state = 'active')` },
    name: complex({
      givenName: text(sql.ref('u.given_name')),
      familyName: text(sql.ref('u.family_name')),
      formatted: text(sql`u.scim -> 'name' ->> 'formatted'`),
      middleName: text(sql`u.scim -> 'name' ->> 'middleName'`),
    }),
    emails: jsonList(
      sql`COALESCE(u.scim -> 'emails', CASE WHEN u.email IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object('value', u.email, 'type', 'work', 'primary', true)) END)`,
    ),
    phoneNumbers: jsonList(sql`u.scim -> 'phoneNumbers'`),
    groups: multi(
      { value: text(sql`ug.group_id::text`, true), display: text(sql.ref('ugg.name')) },
      (predicate) =>
        sql`EXISTS (SELECT 1 FROM group_members ug JOIN groups ugg ON ugg.id = ug.group_id WHERE ug.user_id = u.id AND ${predicate})`,
    ),
    title: text(userScim('title')),
    nickName: text(userScim('nickName')),
    userType: text(userScim('userType')),
    locale: text(userScim('locale')),
    preferredLanguage: text(userScim('preferredLanguage')),
    timezone: text(userScim('timezone')),
    meta: complex({ created: time(sql.ref('u.created_at')), lastModified: time(sql.ref('u.updated_at')) }),
  },
  {
    [ENTERPRISE_USER_SCHEMA]: complex({
      employeeNumber: enterprise('employeeNumber'),
      costCenter: enterprise('costCenter'),
      organization: enterprise('organization'),
      division: enterprise('division'),
      department: enterprise('department'),
    }),
  },
);

/** The filterable attributes of SCIM Groups, over `groups AS g`. */
export const GROUP_FILTER_TARGET: FilterTarget = resolver(
  GROUP_SCHEMA,
  {
    id: { kind: 'scalar', type: 'id', caseExact: true, expr: sql.ref('g.id') },
    displayName: text(sql.ref('g.name')),
    externalId: text(sql.ref('g.external_id'), true),
    members: multi(
      {
        value: text(sql`gm.user_id::text`, true),
        display: text(sql.ref('gmu.username')),
        type: text(sql`'User'`),
      },
      (predicate) =>
        sql`EXISTS (SELECT 1 FROM group_members gm JOIN users gmu ON gmu.id = gm.user_id WHERE gm.group_id = g.id AND ${predicate})`,
    ),
    meta: complex({ created: time(sql.ref('g.created_at')), lastModified: time(sql.ref('g.updated_at')) }),
  },
  {},
);
