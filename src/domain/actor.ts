import type { Permission } from './permission.ts';

/** Who is acting: an authenticated user (through an API key), or Steward itself. */
export type Actor =
  | {
      readonly type: 'USER_ACTOR';
      readonly id: number;
      readonly name: string;
      readonly permissions: readonly Permission[];
      readonly apiKeyId: number;
    }
  | { readonly type: 'SYSTEM_ACTOR'; readonly id: null; readonly name: 'steward' }
  | { readonly type: 'ANONYMOUS_ACTOR'; readonly id: null; readonly name: 'anonymous' };

/** The actor for work Steward does on its own (start-up, jobs, schedules). */
export const SYSTEM_ACTOR: Actor = { type: 'SYSTEM_ACTOR', id: null, name: 'steward' };

/** The actor for requests that carried no valid credentials. */
export const ANONYMOUS_ACTOR: Actor = { type: 'ANONYMOUS_ACTOR', id: null, name: 'anonymous' };

/** Returns true when the actor holds the permission. */
export function hasPermission(actor: Actor, permission: Permission): boolean {
  return actor.type === 'USER_ACTOR' && actor.permissions.includes(permission);
}
