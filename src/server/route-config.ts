import type { Actor } from '../domain/actor.ts';
import type { Permission } from '../domain/permission.ts';

/**
 * Who may call a route: anyone (`public`), any valid key (`authenticated`), or a key whose user
 * holds one of the listed permissions.
 */
export type RouteAuth = 'public' | 'authenticated' | { readonly anyOf: readonly Permission[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every route: who may call it. */
    auth?: RouteAuth;
    /**
     * Required on every POST, PUT, PATCH and DELETE route: the audit action its changes record, or
     * null for a route that changes nothing (a search or a long poll sent as POST).
     */
    audit?: string | null;
  }
  interface FastifyRequest {
    actor: Actor;
  }
}

/** Shorthand for a route that needs one of the given permissions. */
export function requires(...anyOf: Permission[]): RouteAuth {
  return { anyOf };
}
