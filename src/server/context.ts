import type { FastifyRequest } from 'fastify';
import type { AuditContext } from '../audit/record.ts';
import type { Actor } from '../domain/actor.ts';
import type { AppDeps } from './deps.ts';

/** What a service needs from a request: dependencies, the acting user and audit correlation. */
export interface ServiceContext extends AuditContext {
  readonly deps: AppDeps;
  readonly actor: Actor;
}

/** Builds the service context of a request. */
export function serviceContext(deps: AppDeps, request: FastifyRequest): ServiceContext {
  return { deps, actor: request.actor, requestId: request.id, ip: request.ip };
}
