import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../../audit/record.ts';
import { AppError, isAppError, PROBLEM_MEDIA_TYPE, safeErrorMessage, toProblem } from '../../errors/index.ts';
import type { AppDeps } from '../deps.ts';
import type {} from '../route-config.ts';

const STORE_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

function fromFastify(error: FastifyError): AppError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('REQUEST_TOO_LARGE', 'The request body is larger than this server accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(
        'REQUEST_UNSUPPORTED_MEDIA_TYPE',
        'Send the body as application/json or application/yaml.',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('REQUEST_MALFORMED', 'The request body could not be read.');
    default:
      if (error.statusCode === 400)
        return new AppError('REQUEST_MALFORMED', 'The request could not be read.');
      if (error.statusCode === 404) return new AppError('ROUTE_NOT_FOUND');
      return undefined;
  }
}

/** Maps any thrown value to a catalogue error; unknown errors become INTERNAL or STORE_UNAVAILABLE. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && STORE_DOWN_CODES.has(code))
    return new AppError('STORE_UNAVAILABLE', undefined, { cause: error });
  if (typeof code === 'string' && code.startsWith('08'))
    return new AppError('STORE_UNAVAILABLE', undefined, { cause: error });
  if (typeof code === 'string' && code.startsWith('FST_')) {
    const mapped = fromFastify(error as FastifyError);
    if (mapped) return mapped;
  }
  return new AppError(
    'INTERNAL',
    'Something went wrong on our side; the request id identifies it in the logs.',
    { cause: error },
  );
}

/** Sends an error as an RFC 9457 problem document. */
export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: AppError): FastifyReply {
  if (error.code === 'AUTH_REQUIRED' || error.code === 'AUTH_INVALID_KEY') {
    reply.header('www-authenticate', 'Bearer realm="steward"');
  }
  return reply
    .status(error.statusCode)
    .type(PROBLEM_MEDIA_TYPE)
    .send(JSON.stringify(toProblem(error, request.id)));
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Audits a failed change (an authenticated mutating request that ended in an error) with the route's action. */
export async function auditFailure(deps: AppDeps, request: FastifyRequest, error: AppError): Promise<void> {
  const action = request.routeOptions.config.audit;
  const actor = request.actor;
  if (!action || !MUTATING.has(request.method) || actor?.type !== 'USER_ACTOR') return;
  if (error.statusCode === 401 || error.statusCode === 403 || error.code === 'AUDIT_UNAVAILABLE') return;
  await recordAudit(
    deps.store.db,
    { actor, requestId: request.id, ip: request.ip },
    {
      action,
      actionStatus: 'failure',
      payload: { code: error.code, status: error.statusCode, route: request.routeOptions.url },
    },
  ).catch((cause) => request.log.error({ err: safeErrorMessage(cause) }, 'could not audit a failed request'));
}

/** Every error and unknown route leaves as application/problem+json; failed mutations are audited. */
export function registerErrorHandling(app: FastifyInstance, deps: AppDeps): void {
  app.setErrorHandler(async (raw, request, reply) => {
    const error = toAppError(raw);
    if (error.statusCode >= 500) {
      request.log.error({ code: error.code, err: safeErrorMessage(error.cause ?? raw) }, 'request failed');
    }
    await auditFailure(deps, request, error);
    return sendProblem(reply, request, error);
  });
  app.setNotFoundHandler(async (request, reply) =>
    sendProblem(
      reply,
      request,
      new AppError('ROUTE_NOT_FOUND', `There is no route ${request.method} ${request.url.split('?')[0]}.`),
    ),
  );
}
