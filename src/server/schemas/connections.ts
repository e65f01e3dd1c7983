import { z } from 'zod';
import { connectionKeySchema } from '../../connections/connection-key.ts';
import type { PlatformRegistry } from '../../platforms/platform.ts';

/** `settings` of a connection payload: whether new objects start active. */
export const connectionSettingsSchema = z.object({ isActive: z.boolean().default(true) }).strict();

/** `options` of a connection payload: whether the crawl also goes below inactive objects. */
export const connectionOptionsSchema = z.object({ forceRecursiveCrawl: z.boolean().default(false) }).strict();

/**
 * The body of `POST /data/connection` and `/data/connection/test`: the `connection` object is checked
 * against the schema of the platform its `technology` names; `nativeIntegration` is checked by the
 * service against the same platform, so its errors carry their full path too.
 */
export function connectionPayloadSchema(platforms: PlatformRegistry) {
  const schemas = [...platforms.values()].map((p) => p.connectionSchema) as unknown as [
    z.ZodObject<{ technology: z.ZodLiteral<string> }>,
    ...z.ZodObject<{ technology: z.ZodLiteral<string> }>[],
  ];
  return z
    .object({
      connectionKey: connectionKeySchema,
      connection: schemas.length > 1 ? z.discriminatedUnion('technology', schemas) : schemas[0],
      settings: connectionSettingsSchema.optional(),
      options: connectionOptionsSchema.optional(),
      nativeIntegration: z.record(z.string(), z.unknown()).optional(),
    })
    .strict()
    .meta({ id: 'ConnectionPayload' });
}

/** The body of `PUT /data/connection/{key}`: the parts to change, merged over the stored connection. */
export const connectionUpdateSchema = z
  .object({
    connection: z.record(z.string(), z.unknown()).optional(),
    nativeIntegration: z.record(z.string(), z.unknown()).optional(),
    settings: connectionSettingsSchema.partial().optional(),
    options: connectionOptionsSchema.partial().optional(),
  })
  .strict();

/** A validation test result. */
export const validationTestSchema = z.object({
  name: z.string(),
  status: z.enum(['passed', 'failed', 'skipped', 'warning']),
  result: z.string().optional(),
});

/** A stored connection as `GET /data/connection/{key}` returns it, secrets shown as `[REDACTED]`. */
export const connectionViewSchema = z
  .object({
    connectionKey: z.string(),
    connection: z.record(z.string(), z.unknown()),
    settings: z.object({ isActive: z.boolean() }),
    options: z.object({ forceRecursiveCrawl: z.boolean() }),
    nativeIntegration: z.record(z.string(), z.unknown()).nullable(),
    nativeIntegrationId: z.number().int().nullable(),
    lastSyncedAt: z.string().nullable(),
    createdAt: z.string(),
    createdBy: z.number().int().nullable(),
    updatedAt: z.string(),
    updatedBy: z.number().int().nullable(),
    creator: z.object({ id: z.number().int(), name: z.string(), email: z.string().nullable() }).nullable(),
    updater: z.object({ id: z.number().int(), name: z.string(), email: z.string().nullable() }).nullable(),
  })
  .meta({ id: 'Connection' });

/** A setting as the reference reports it: its value and whether any descendant overrides it. */
const setting = <T extends z.ZodType>(value: T) =>
  z.object({ value, hasDescendantsWithOverrides: z.boolean() });

/** A data object as `GET /data/object/{objectPath}` returns it. */
export const dataObjectSchema = z
  .object({
    id: z.string(),
    objectPath: z.array(z.string()),
    technology: z.string(),
    kind: z.enum(['connection', 'database', 'schema', 'table']),
    name: z.string(),
    state: z.enum(['active', 'inactive']),
    remoteStatus: z.enum(['present', 'dropped']),
    tableKind: z.string().nullable(),
    comment: z.string().nullable(),
    dataSourceId: z.string().nullable(),
    childCount: z.number().int(),
    settings: z.object({
      isActive: setting(z.boolean()),
      activateNewChildren: setting(z.boolean()),
      dataOwners: setting(z.array(z.unknown())),
    }),
    overrides: z.object({
      isActive: z.boolean().optional(),
      activateNewChildren: z.boolean().optional(),
      dataOwners: z.array(z.unknown()).optional(),
    }),
    columns: z
      .array(
        z.object({
          name: z.string(),
          position: z.number().int(),
          dataType: z.string(),
          remoteType: z.string(),
          nullable: z.boolean(),
          comment: z.string().nullable(),
        }),
      )
      .optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    droppedAt: z.string().nullable(),
  })
  .meta({ id: 'DataObject' });

/** A data object in search results. */
export const dataObjectSummarySchema = z
  .object({
    id: z.string(),
    objectPath: z.array(z.string()),
    kind: z.enum(['connection', 'database', 'schema', 'table']),
    name: z.string(),
    state: z.enum(['active', 'inactive']),
    remoteStatus: z.enum(['present', 'dropped']),
    tableKind: z.string().nullable(),
    dataSourceId: z.string().nullable(),
  })
  .meta({ id: 'DataObjectSummary' });
