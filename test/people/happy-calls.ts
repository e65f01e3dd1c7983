import type { InjectOptions } from 'fastify';
import type { TestApp } from '../support/app.ts';

/**
 * One successful call of every mutating People and SCIM route, each on its own user or group so the
 * calls succeed and change something in any order (for the audit test, which needs one of each).
 */
export async function peopleHappyCalls(
  t: TestApp,
  auth: { authorization: string },
  connectionKey: string,
): Promise<Record<string, InjectOptions>> {
  const db = t.store.db;
  const user = async (username: string, attributes: Record<string, string[]> = {}) => {
    const { id } = await db
      .insertInto('users')
      .values({ username, name: null, email: null, state: 'active', permissions: [] })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [key, values] of Object.entries(attributes)) {
      for (const value of values) {
        await db
          .insertInto('user_attributes')
          .values({ user_id: id, attribute_key: key, attribute_value: value })
          .execute();
      }
    }
    return id;
  };
  const group = async (name: string, members: number[] = []) => {
    const { id } = await db
      .insertInto('groups')
      .values({ name, description: null, external_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const userId of members)
      await db.insertInto('group_members').values({ group_id: id, user_id: userId }).execute();
    return id;
  };
  const scim = { ...auth, 'content-type': 'application/scim+json' };
  const region = { Region: ['US'] };
  const member = await user('audited-member');
  return {
    'PUT /users/:id': {
      method: 'PUT',
      url: `/users/${await user('audited-rename')}`,
      headers: auth,
      payload: { name: 'Renamed' },
    },
    'DELETE /users/:id': { method: 'DELETE', url: `/users/${await user('audited-delete')}`, headers: auth },
    'PUT /users/:id/attributes': {
      method: 'PUT',
      url: `/users/${await user('audited-attr-put', region)}/attributes`,
      headers: auth,
      payload: { attributes: { Region: ['EU'] } },
    },
    'POST /users/:id/attributes': {
      method: 'POST',
      url: `/users/${await user('audited-attr-post', region)}/attributes`,
      headers: auth,
      payload: { attributes: { Region: ['CA'] } },
    },
    'PUT /users/:id/attributes/:key': {
      method: 'PUT',
      url: `/users/${await user('audited-attr-key', region)}/attributes/Region`,
      headers: auth,
      payload: { values: ['EU'] },
    },
    'DELETE /users/:id/attributes/:key': {
      method: 'DELETE',
      url: `/users/${await user('audited-attr-rm', region)}/attributes/Region`,
      headers: auth,
    },
    'DELETE /users/:id/attributes/:key/:value': {
      method: 'DELETE',
      url: `/users/${await user('audited-attr-rm-value', region)}/attributes/Region/US`,
      headers: auth,
    },
    'PUT /users/:id/externalIds/:connectionKey': {
      method: 'PUT',
      url: `/users/${await user('audited-external')}/externalIds/${connectionKey}`,
      headers: auth,
      payload: { mode: 'explicit', principal: 'audited_principal' },
    },
    'POST /groups': { method: 'POST', url: '/groups', headers: auth, payload: { name: 'Audited group' } },
    'PUT /groups/:id': {
      method: 'PUT',
      url: `/groups/${await group('Audited rename')}`,
      headers: auth,
      payload: { description: 'changed' },
    },
    'DELETE /groups/:id': {
      method: 'DELETE',
      url: `/groups/${await group('Audited delete')}`,
      headers: auth,
    },
    'POST /groups/:id/members': {
      method: 'POST',
      url: `/groups/${await group('Audited add')}/members`,
      headers: auth,
      payload: { userIds: [member] },
    },
    'DELETE /groups/:id/members/:userId': {
      method: 'DELETE',
      url: `/groups/${await group('Audited remove', [member])}/members/${member}`,
      headers: auth,
    },
    'POST /scim/v2/Users': {
      method: 'POST',
      url: '/scim/v2/Users',
      headers: scim,
      payload: JSON.stringify({ userName: 'audited-scim' }),
    },
    'PUT /scim/v2/Users/:id': {
      method: 'PUT',
      url: `/scim/v2/Users/${await user('audited-scim-put')}`,
      headers: scim,
      payload: JSON.stringify({ userName: 'audited-scim-put', displayName: 'Put' }),
    },
    'PATCH /scim/v2/Users/:id': {
      method: 'PATCH',
      url: `/scim/v2/Users/${await user('audited-scim-patch')}`,
      headers: scim,
      payload: JSON.stringify({ Operations: [{ op: 'replace', path: 'active', value: false }] }),
    },
    'DELETE /scim/v2/Users/:id': {
      method: 'DELETE',
      url: `/scim/v2/Users/${await user('audited-scim-delete')}`,
      headers: scim,
    },
    'POST /scim/v2/Groups': {
      method: 'POST',
      url: '/scim/v2/Groups',
      headers: scim,
      payload: JSON.stringify({ displayName: 'Audited SCIM', members: [{ value: String(member) }] }),
    },
    'PUT /scim/v2/Groups/:id': {
      method: 'PUT',
      url: `/scim/v2/Groups/${await group('Audited SCIM put')}`,
      headers: scim,
      payload: JSON.stringify({ displayName: 'Audited SCIM put', members: [{ value: String(member) }] }),
    },
    'PATCH /scim/v2/Groups/:id': {
      method: 'PATCH',
      url: `/scim/v2/Groups/${await group('Audited SCIM patch')}`,
      headers: scim,
      payload: JSON.stringify({
        Operations: [{ op: 'add', path: 'members', value: [{ value: String(member) }] }],
      }),
    },
    'DELETE /scim/v2/Groups/:id': {
      method: 'DELETE',
      url: `/scim/v2/Groups/${await group('Audited SCIM delete')}`,
      headers: scim,
    },
  };
}
