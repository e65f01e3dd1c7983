import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, safeErrorMessage } from '../../errors/index.ts';
import { etagOf } from '../../scim/etag.ts';
import { project } from '../../scim/projection.ts';
import { scimErrorBody } from '../../scim/scim-error.ts';
import { SCIM_MEDIA_TYPE } from '../../scim/urns.ts';
import type { AppDeps } from '../deps.ts';
import { auditFailure, toAppError } from '../plugins/errors.ts';

/** The content type of every SCIM response. */
export const SCIM_CONTENT_TYPE = `${SCIM_MEDIA_TYPE}; charset=utf-8`;

/** Sends an error as a SCIM error response (RFC 7644 §3.12). */
function sendScimError(reply: FastifyReply, request: FastifyRequest, error: AppError): FastifyReply {
  if (error.code === 'AUTH_REQUIRED' || error.code === 'AUTH_INVALID_KEY') {
    reply.header('www-authenticate', 'Bearer realm="steward"');
  }
  return reply
    .status(error.statusCode)
    .type(SCIM_CONTENT_TYPE)
    .send(JSON.stringify(scimErrorBody(error, request.id)));
}

/**
 * Makes every error inside the SCIM scope a SCIM error body sent as `application/scim+json`: bad
 * filters (400 `invalidFilter`), validation, conflicts, stale ETags (412), unknown routes, and the 401
 * and 403 of the authentication hook. Failed changes are audited, as elsewhere.
 */
export function registerScimErrors(scope: FastifyInstance, deps: AppDeps): void {
  scope.setErrorHandler(async (raw, request, reply) => {
    const error = toAppError(raw);
    if (error.statusCode >= 500) {
      request.log.error(
        { code: error.code, err: safeErrorMessage(error.cause ?? raw) },
        'SCIM request failed',
      );
    }
    await auditFailure(deps, request, error);
    return sendScimError(reply, request, error);
  });
  scope.setNotFoundHandler(async (request, reply) =>
    sendScimError(
      reply,
      request,
      new AppError(
        'ROUTE_NOT_FOUND',
        `There is no SCIM endpoint ${request.method} ${request.url.split('?')[0]}.`,
      ),
    ),
  );
}

/**
 * Sends a SCIM resource that was just saved: its version as the ETag, and only the attributes the
 * request's `attributes`/`excludedAttributes` projection asks for.
 */
export function sendSavedResource(
  reply: FastifyReply,
  saved: { readonly resource: Parameters<typeof project>[0]; readonly version: number },
  wanted: Parameters<typeof project>[1],
  schema: string,
): FastifyReply {
  return reply
    .type(SCIM_CONTENT_TYPE)
    .header('etag', etagOf(saved.version))
    .send(project(saved.resource, wanted, schema));
}
