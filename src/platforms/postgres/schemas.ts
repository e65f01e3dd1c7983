import { z } from 'zod';

const host = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9._:[\]-]+$/, 'must be a host name or address, without a scheme or path');
const identifier = z
  .string()
  .min(1)
  .max(63)
  .regex(
    /^[A-Za-z_][A-Za-z0-9_$]*$/,
    'must be a PostgreSQL identifier: letters, digits and underscores, not starting with a digit',
  );
const port = z.number().int().min(1).max(65535);
const ssl = z.union([
  z.boolean(),
  z.object({ rejectUnauthorized: z.boolean().default(true), ca: z.string().optional() }).strict(),
]);

/** The `connection` object of a PostgreSQL connection. */
export const postgresConnectionSchema = z
  .object({
    technology: z.literal('PostgreSQL'),
    hostname: host,
    port: port.default(5432),
    database: z.string().min(1).max(63),
    authenticationType: z.literal('userPassword'),
    username: z.string().min(1).max(63),
    password: z.string().min(1).max(1024),
    ssl: ssl.default(false),
  })
  .strict();

/** The `nativeIntegration` object of a PostgreSQL connection: where the Steward-owned schema is. */
export const postgresNativeIntegrationSchema = z
  .object({
    type: z.literal('PostgreSQL'),
    autoBootstrap: z.boolean().default(false),
    config: z
      .object({
        host,
        port: port.default(5432),
        database: z.string().min(1).max(63),
        schema: identifier.default('steward'),
        authenticationType: z.literal('userPassword'),
        username: z.string().min(1).max(63),
        password: z.string().min(1).max(1024),
      })
      .strict(),
  })
  .strict();

/** The `config` of `POST /integrations/scripts/create` with `type: "PostgreSQL"`. */
export const postgresScriptConfigSchema = z
  .object({
    host,
    port: port.default(5432),
    database: z.string().min(1).max(63),
    schema: identifier.default('steward'),
    username: identifier
      .default('steward_service')
      .describe('The login role Steward connects as; the script creates it.'),
    governedSchemas: z
      .array(z.string().min(1).max(63))
      .max(1000)
      .optional()
      .describe('Schemas Steward may read; all when absent.'),
  })
  .strict();

/** A PostgreSQL connection payload after validation. */
export type PostgresConnection = z.infer<typeof postgresConnectionSchema>;
/** A PostgreSQL native integration after validation. */
export type PostgresNativeIntegration = z.infer<typeof postgresNativeIntegrationSchema>;
/** A PostgreSQL script config after validation. */
export type PostgresScriptConfig = z.infer<typeof postgresScriptConfigSchema>;
