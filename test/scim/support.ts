import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../support/app.ts';

/** The SCIM request headers of an identity provider holding the given token. */
export function scimHeaders(key: string): Record<string, string> {
  return {
    authorization: `Bearer ${key}`,
    'content-type': 'application/scim+json',
    accept: 'application/scim+json',
  };
}

/** A SCIM client over `app.inject`: JSON bodies, the token, and the SCIM base path. */
export function scimClient(t: TestApp, key: string = t.adminKey) {
  const send = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    headers = {},
  ) =>
    t.app.inject({
      method,
      url: `/scim/v2${path}`,
      headers: { ...scimHeaders(key), ...headers },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
  return {
    get: (path: string, headers = {}) => send('GET', path, undefined, headers),
    post: (path: string, body: unknown, headers = {}) => send('POST', path, body, headers),
    put: (path: string, body: unknown, headers = {}) => send('PUT', path, body, headers),
    patch: (path: string, body: unknown, headers = {}) => send('PATCH', path, body, headers),
    delete: (path: string, headers = {}) => send('DELETE', path, undefined, headers),
  };
}

/** A PatchOp body with the given operations. */
export function patchOp(...operations: unknown[]) {
  return { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: operations };
}

/** A resource without its `meta` (whose times and version change), for comparing states. */
export function withoutMeta(res: LightMyRequestResponse): Record<string, unknown> {
  const { meta: _meta, ...rest } = res.json() as Record<string, unknown>;
  return rest;
}

/** Asserts nothing; returns the SCIM error fields of a response, for concise checks. */
export function scimError(res: LightMyRequestResponse) {
  const body = res.json() as { schemas: string[]; status: string; scimType?: string; detail: string };
  return {
    status: res.statusCode,
    type: res.headers['content-type'],
    schemas: body.schemas,
    bodyStatus: body.status,
    scimType: body.scimType,
  };
}
