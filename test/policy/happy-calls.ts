import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import type { TestApp } from '../support/app.ts';

/**
 * One successful call of every mutating policy, purpose and access request route, each on something of
 * its own so the calls succeed in any order (for the audit test, which needs one of each). `tablePath`
 * is a crawled table (`<connection>/<database>/<schema>/<table>`) nobody owns or reads yet.
 */
export async function policyHappyCalls(
  t: TestApp,
  auth: { authorization: string },
  tablePath: string,
): Promise<Record<string, InjectOptions>> {
  const call = async (options: InjectOptions) => {
    const res = await t.app.inject({ ...options, headers: auth });
    assert.ok(res.statusCode < 300, `${options.method} ${options.url}: ${res.body}`);
    return res.json();
  };
  const dataSourceId: string = (await call({ method: 'GET', url: `/data/object/${tablePath}` })).dataSourceId;
  const policy = (policyKey: string, extra: Record<string, unknown> = {}) => ({
    policyKey,
    type: 'subscription',
    actions: { type: 'approval', approvals: [{ requiredPermission: 'GOVERNANCE' }] },
    ...extra,
  });
  await call({ method: 'POST', url: '/tag', payload: { name: 'Audit.Approval' } });
  await call({ method: 'POST', url: `/tag/datasource/${dataSourceId}`, payload: ['Audit.Approval'] });
  await call({
    method: 'POST',
    url: '/api/v2/policy',
    payload: policy('audited approval', { circumstances: [{ type: 'tags', tag: 'Audit.Approval' }] }),
  });
  await call({
    method: 'POST',
    url: '/api/v2/policy',
    payload: policy('audited delete by key', { staged: true }),
  });
  const byId = await call({
    method: 'POST',
    url: '/api/v2/policy',
    payload: policy('audited delete by id', { staged: true }),
  });
  const local = await call({
    method: 'POST',
    url: `/policy/handler/${dataSourceId}`,
    payload: policy('audited local delete'),
  });
  const purpose = await call({ method: 'POST', url: '/purpose', payload: { name: 'Audited doomed' } });
  await call({ method: 'POST', url: '/purpose', payload: { name: 'Audited' } });
  const requests: number[] = [];
  for (const username of ['audited-requester-1', 'audited-requester-2']) {
    const user = await t.userWith([], username);
    const res = await t.app.inject({
      method: 'POST',
      url: '/dataSource/subscribe',
      headers: { authorization: user.key },
      payload: { dataSourceId },
    });
    assert.equal(res.statusCode, 201, res.body);
    requests.push(res.json().id);
  }
  const target = await t.userWith([], 'audited-purposes');
  return {
    'POST /api/v2/policy': {
      method: 'POST',
      url: '/api/v2/policy',
      headers: auth,
      payload: policy('audited create'),
    },
    'DELETE /api/v2/policy/:policyKey': {
      method: 'DELETE',
      url: `/api/v2/policy/${encodeURIComponent('audited delete by key')}`,
      headers: auth,
    },
    'DELETE /policy/global/:id': { method: 'DELETE', url: `/policy/global/${byId.policy.id}`, headers: auth },
    'POST /policy/handler/:dataSourceId': {
      method: 'POST',
      url: `/policy/handler/${dataSourceId}`,
      headers: auth,
      payload: policy('audited local create'),
    },
    'DELETE /policy/handler/:dataSourceId/:policyId': {
      method: 'DELETE',
      url: `/policy/handler/${dataSourceId}/${local.policy.id}`,
      headers: auth,
    },
    'POST /purpose': { method: 'POST', url: '/purpose', headers: auth, payload: { name: 'Audited created' } },
    'DELETE /purpose/:id': { method: 'DELETE', url: `/purpose/${purpose.id}`, headers: auth },
    'PUT /users/:id/purposes': {
      method: 'PUT',
      url: `/users/${target.id}/purposes`,
      headers: auth,
      payload: { purposes: ['Audited'] },
    },
    'POST /dataSource/subscribe': {
      method: 'POST',
      url: '/dataSource/subscribe',
      headers: auth,
      payload: { dataSourceId, reason: 'audited' },
    },
    'POST /requests/:id/approve': {
      method: 'POST',
      url: `/requests/${requests[0]}/approve`,
      headers: auth,
      payload: { note: 'audited' },
    },
    'POST /requests/:id/deny': {
      method: 'POST',
      url: `/requests/${requests[1]}/deny`,
      headers: auth,
      payload: {},
    },
  };
}
