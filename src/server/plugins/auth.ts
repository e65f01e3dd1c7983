import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit } from '../../audit/record.ts';
import { keyFromAuthorization } from '../../auth/api-key.ts';
import { authenticateApiKey } from '../../auth/authenticate.ts';
import { ANONYMOUS_ACTOR, hasPermission } from '../../domain/actor.ts';
import { AppError, safeErrorMessage } from '../../errors/index.ts';
import type { AppDeps } from '../deps.ts';
import type { RouteAuth } from '../route-config.ts';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** One route as declared: method, URL pattern, who may call it and the audit action of its changes. */
export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly auth: RouteAuth;
  readonly audit: string | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its declared auth, so tests and docs can check each one. */
    routeTable: readonly RouteEntry[];
  }
}

async function auditDenied(
  deps: AppDeps,
  request: FastifyRequest,
  action: string,
  payload: Record<string, unknown>,
) {
  await recordAudit(
    deps.store.db,
    { actor: request.actor, requestId: request.id, ip: request.ip },
    {
      action,
      actionStatus: 'denied',
      targetType: 'route',
      targets: [{ type: 'route', id: `${request.method} ${request.routeOptions.url}` }],
      payload,
    },
  ).catch((cause) => request.log.error({ err: safeErrorMessage(cause) }, 'could not audit a denied request'));
}

/**
 * Enforces each route's declared `auth`: a route without a declaration fails at start-up; a missing or
 * bad key is 401, a key without the permission 403, and both are audited as denied.
 */
export function registerAuth(app: FastifyInstance, deps: AppDeps): void {
  const table: RouteEntry[] = [];
  app.decorate('routeTable', table);
  app.decorateRequest('actor', null as never);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.url.startsWith('/docs')) {
      route.config = { ...route.config, auth: 'public' };
      return;
    }
    const auth = route.config?.auth;
    if (!auth) throw new Error(`Route ${methods.join(',')} ${route.url} declares no auth.`);
    if (methods.some((m) => MUTATING.has(m)) && route.config?.audit === undefined) {
      throw new Error(`Mutating route ${methods.join(',')} ${route.url} declares no audit action.`);
    }
    for (const method of methods) {
      if (method !== 'HEAD') table.push({ method, url: route.url, auth, audit: route.config?.audit ?? null });
    }
  });
  app.addHook('onRequest', async (request) => {
    request.actor = ANONYMOUS_ACTOR;
    const auth = request.routeOptions.config.auth;
    if (auth === undefined || auth === 'public') return;
    const key = keyFromAuthorization(request.headers.authorization);
    if (key === undefined) {
      await auditDenied(deps, request, 'AuthenticationFailed', { reason: 'missing_key' });
      throw new AppError('AUTH_REQUIRED', 'Send an API key in the Authorization header.');
    }
    const result = await authenticateApiKey(deps.store.db, key);
    if (!result.ok) {
      await auditDenied(deps, request, 'AuthenticationFailed', { reason: result.reason });
      throw new AppError('AUTH_INVALID_KEY');
    }
    request.actor = result.actor;
    if (auth !== 'authenticated' && !auth.anyOf.some((p) => hasPermission(result.actor, p))) {
      await auditDenied(deps, request, 'AuthorizationDenied', { required: auth.anyOf });
      throw new AppError(
        'AUTH_FORBIDDEN',
        `This operation requires the ${auth.anyOf.join(' or ')} permission${auth.anyOf.length > 1 ? 's' : ''}.`,
        { extensions: { requiredPermissions: auth.anyOf } },
      );
    }
  });
}
