import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/actor.ts';
import { AppError } from '../errors/index.ts';
import { redactSecrets } from '../secrets/redact.ts';
import type { Db } from '../store/schema.ts';

/** One object an audit event is about. */
export interface AuditTarget {
  readonly type: string;
  readonly id: string;
  readonly name?: string;
}

/** The facts of an audit event; who, when and which request come from the context. */
export interface AuditEventInput {
  readonly action: string;
  readonly actionStatus?: 'success' | 'failure' | 'denied';
  readonly targetType?: string;
  readonly targets?: readonly AuditTarget[];
  readonly payload?: Readonly<Record<string, unknown>>;
}

/** Who acts and in which request: the part of an audit event a request supplies. */
export interface AuditContext {
  readonly actor: Actor;
  readonly requestId?: string;
  readonly ip?: string;
}

function actorJson(actor: Actor): Record<string, unknown> {
  return { type: actor.type, id: actor.id, name: actor.name };
}

/**
 * Appends an audit event. Call it with the transaction that makes the change, so the event and the
 * change commit together; if the write fails it throws AUDIT_UNAVAILABLE (503) and the change rolls
 * back with it. Secret-named payload fields are redacted as a last line of defence.
 */
export async function recordAudit(db: Db, ctx: AuditContext, event: AuditEventInput): Promise<string> {
  const id = randomUUID();
  const targets = event.targets ?? [];
  try {
    await db
      .insertInto('audit_events')
      .values({
        id,
        actor: JSON.stringify(actorJson(ctx.actor)),
        actor_id: ctx.actor.id,
        action: event.action,
        action_status: event.actionStatus ?? 'success',
        target_type: event.targetType ?? targets[0]?.type ?? null,
        targets: JSON.stringify(targets),
        target_ids: targets.map((t) => `${t.type}:${t.id}`),
        payload: JSON.stringify(redactSecrets(event.payload ?? {})),
        request_id: ctx.requestId ?? null,
        actor_ip: ctx.ip ?? null,
      })
      .execute();
  } catch (cause) {
    throw new AppError('AUDIT_UNAVAILABLE', undefined, { cause });
  }
  return id;
}
