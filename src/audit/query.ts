import { sql } from 'kysely';
import type { Actor } from '../domain/actor.ts';
import type { Db } from '../store/schema.ts';
import type { AuditTarget } from './record.ts';

/** Filters for searching the audit log; all optional and combined with AND. */
export interface AuditFilter {
  readonly actor?: string;
  readonly action?: readonly string[];
  readonly actionStatus?: 'success' | 'failure' | 'denied';
  readonly targetType?: string;
  readonly target?: string;
  readonly requestId?: string;
  readonly startDate?: Date;
  readonly endDate?: Date;
  readonly offset: number;
  readonly size: number;
}

/** An audit event as the API returns it. */
export interface AuditEvent {
  readonly id: string;
  readonly eventTimestamp: string;
  readonly actor: { type: Actor['type']; id: number | null; name: string };
  readonly action: string;
  readonly actionStatus: 'success' | 'failure' | 'denied';
  readonly targetType: string | null;
  readonly targets: AuditTarget[];
  readonly payload: Record<string, unknown>;
  readonly requestId: string | null;
  readonly actorIp: string | null;
}

/**
 * Returns one page of audit events, newest first. `actor` matches a user id or name; `target` matches
 * `type:id` or a bare id of any type.
 */
export async function searchAudit(db: Db, filter: AuditFilter): Promise<AuditEvent[]> {
  let query = db.selectFrom('audit_events').selectAll();
  if (filter.actor !== undefined) {
    const actor = filter.actor;
    query = /^\d+$/.test(actor)
      ? query.where('actor_id', '=', Number(actor))
      : query.where((eb) => eb(eb.ref('actor', '->>').key('name'), '=', actor));
  }
  if (filter.action && filter.action.length > 0) query = query.where('action', 'in', filter.action);
  if (filter.actionStatus) query = query.where('action_status', '=', filter.actionStatus);
  if (filter.targetType) query = query.where('target_type', '=', filter.targetType);
  if (filter.target !== undefined) {
    const target = filter.target;
    query = target.includes(':')
      ? query.where(sql<boolean>`target_ids @> ARRAY[${target}]::text[]`)
      : query.where(
          sql<boolean>`EXISTS (SELECT 1 FROM unnest(target_ids) AS t(v) WHERE substr(t.v, strpos(t.v, ':') + 1) = ${target})`,
        );
  }
  if (filter.requestId) query = query.where('request_id', '=', filter.requestId);
  if (filter.startDate) query = query.where('event_time', '>=', filter.startDate);
  if (filter.endDate) query = query.where('event_time', '<', filter.endDate);
  const rows = await query
    .orderBy('event_time', 'desc')
    .orderBy('seq', 'desc')
    .offset(filter.offset)
    .limit(filter.size)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    eventTimestamp: r.event_time.toISOString(),
    actor: r.actor,
    action: r.action,
    actionStatus: r.action_status,
    targetType: r.target_type,
    targets: r.targets,
    payload: r.payload,
    requestId: r.request_id,
    actorIp: r.actor_ip,
  }));
}
