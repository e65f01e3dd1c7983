import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import type { TestApp } from '../support/app.ts';

const identifier = (name: string, regex = '[A-Z]{2}[0-9]{6}') => ({
  name,
  displayName: name.toLowerCase().replaceAll('_', ' '),
  description: 'Audited',
  type: 'regex',
  config: { regex, tags: ['Discovered.Audit.Code'] },
});

const framework = (name: string, classifiers: ReadonlyArray<{ name: string }> = []) => ({
  name,
  displayName: name.toLowerCase().replaceAll('_', ' '),
  classifiers,
});

/**
 * One successful call of every mutating identifier and framework route (`/sdd/classifier`,
 * `/sdd/template`), each on something of its own so the calls succeed in any order and leave the
 * global framework and every data source's framework as they were (for the audit test).
 */
export async function sddHappyCalls(
  t: TestApp,
  auth: { authorization: string },
): Promise<Record<string, InjectOptions>> {
  const call = async (options: InjectOptions) => {
    const res = await t.app.inject({ ...options, headers: auth });
    assert.ok(res.statusCode < 300, `${options.method} ${options.url}: ${res.body}`);
    return res.json();
  };
  for (const name of ['AUDIT_UPDATED', 'AUDIT_DELETED']) {
    await call({ method: 'POST', url: '/sdd/classifier', payload: identifier(name) });
  }
  for (const name of ['AUDIT_TEMPLATE_UPDATED', 'AUDIT_TEMPLATE_DELETED', 'AUDIT_APPLIED']) {
    await call({ method: 'POST', url: '/sdd/template', payload: framework(name) });
  }
  const domain: number = (await call({ method: 'POST', url: '/domain', payload: { name: 'Audited SDD' } }))
    .id;
  return {
    'POST /sdd/classifier': {
      method: 'POST',
      url: '/sdd/classifier',
      headers: auth,
      payload: identifier('AUDIT_CREATED'),
    },
    'PUT /sdd/classifier/:name': {
      method: 'PUT',
      url: '/sdd/classifier/AUDIT_UPDATED',
      headers: auth,
      payload: identifier('AUDIT_UPDATED', '[A-Z]{3}[0-9]{6}'),
    },
    'DELETE /sdd/classifier/:name': { method: 'DELETE', url: '/sdd/classifier/AUDIT_DELETED', headers: auth },
    'POST /sdd/template': {
      method: 'POST',
      url: '/sdd/template',
      headers: auth,
      payload: framework('AUDIT_TEMPLATE_CREATED', [{ name: 'EMAIL_ADDRESS' }]),
    },
    'PUT /sdd/template/:name': {
      method: 'PUT',
      url: '/sdd/template/AUDIT_TEMPLATE_UPDATED',
      headers: auth,
      payload: framework('AUDIT_TEMPLATE_UPDATED', [{ name: 'US_SSN' }]),
    },
    'DELETE /sdd/template/:name': {
      method: 'DELETE',
      url: '/sdd/template/AUDIT_TEMPLATE_DELETED',
      headers: auth,
    },
    'PUT /sdd/template/global': {
      method: 'PUT',
      url: '/sdd/template/global',
      headers: auth,
      payload: { name: 'STEWARD_DEFAULT' },
    },
    'PUT /sdd/template/apply': {
      method: 'PUT',
      url: '/sdd/template/apply',
      headers: auth,
      payload: { name: 'AUDIT_APPLIED', domainIds: [domain] },
    },
  };
}

/**
 * One successful call of each discovery run and review route (`POST /sdd/run`, `/sdd/tags/confirm`,
 * `/sdd/tags/reject`) on a data source of `connectionKey`, whose first column gets two discovered tags
 * to review.
 */
export async function discoveryRunHappyCalls(
  t: TestApp,
  auth: { authorization: string },
  connectionKey: string,
): Promise<Record<string, InjectOptions>> {
  const db = t.store.db;
  const table = await db
    .selectFrom('data_objects as o')
    .innerJoin('data_columns as c', 'c.object_id', 'o.id')
    .select(['o.id', 'c.name'])
    .where('o.connection_key', '=', connectionKey)
    .where('o.kind', '=', 'table')
    .where('o.state', '=', 'active')
    .orderBy('o.id')
    .executeTakeFirstOrThrow();
  const tags = ['Discovered.Audit.Confirmed', 'Discovered.Audit.Rejected'];
  const ids = await db
    .insertInto('tags')
    .values(tags.map((name) => ({ name, source: 'discovered' as const, created_by: null })))
    .returning('id')
    .execute();
  await db
    .insertInto('object_tags')
    .values(
      ids.map((r) => ({
        object_id: table.id,
        column_name: table.name,
        tag_id: r.id,
        source: 'discovered' as const,
      })),
    )
    .execute();
  const review = (tag: string) => ({ dataSourceId: table.id, column: table.name, tag });
  return {
    'POST /sdd/run': {
      method: 'POST',
      url: '/sdd/run',
      headers: auth,
      payload: { connectionKey, dryRun: true },
    },
    'POST /sdd/tags/confirm': {
      method: 'POST',
      url: '/sdd/tags/confirm',
      headers: auth,
      payload: review(tags[0]!),
    },
    'POST /sdd/tags/reject': {
      method: 'POST',
      url: '/sdd/tags/reject',
      headers: auth,
      payload: review(tags[1]!),
    },
  };
}
