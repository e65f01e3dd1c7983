import { z } from 'zod';

/** An audit event as the API returns it. */
export const auditEventSchema = z
  .object({
    id: z.string().uuid(),
    eventTimestamp: z.string(),
    actor: z
      .object({
        type: z.enum(['USER_ACTOR', 'SYSTEM_ACTOR', 'ANONYMOUS_ACTOR']),
        id: z.number().int().nullable(),
        name: z.string(),
      })
      .meta({ id: 'AuditActor' }),
    action: z.string(),
    actionStatus: z.enum(['success', 'failure', 'denied']),
    targetType: z.string().nullable(),
    targets: z.array(
      z.object({ type: z.string(), id: z.string(), name: z.string().optional() }).meta({ id: 'AuditTarget' }),
    ),
    payload: z.record(z.string(), z.unknown()),
    requestId: z.string().nullable(),
    actorIp: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent' });
