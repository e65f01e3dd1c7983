import { z } from 'zod';
import { AppError, type FieldError, fieldError } from '../../errors/index.ts';

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** A workspace host: `https://` and trailing slashes are dropped and case is folded, so equal hosts compare equal. */
const host = z
  .string()
  .trim()
  .overwrite((v) => v.replace(/^https:\/\//i, '').replace(/\/+$/, ''))
  .toLowerCase()
  .regex(
    HOST_NAME,
    'must be a workspace host such as dbc-1234.cloud.databricks.com, without http://, a path or spaces',
  );

const port = z.number().int().min(1).max(65535).default(443);

const httpPath = z
  .string()
  .trim()
  .overwrite((v) => (v.startsWith('/') ? v : `/${v}`))
  .regex(/^(\/[A-Za-z0-9._-]+)+$/, 'must be an HTTP path such as /sql/1.0/warehouses/<warehouse-id>');

const secret = z.string().min(1).max(4096);
const noSpace = (what: string) =>
  z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^\s\p{Cc}]+$/u, `must be ${what} without spaces or control characters`);

/** The name of the Steward-owned catalog, as the reference restricts it. */
const catalogName = z
  .string()
  .max(255)
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'may only contain letters, digits and underscores, and cannot start with a digit',
  );

const oAuthClientConfig = z.strictObject({
  useCertificate: z
    .boolean()
    .default(false)
    .refine(
      (v) => !v,
      'certificates are not supported yet: set useCertificate to false and give a clientSecret',
    ),
  clientId: noSpace('the service principal application (client) ID'),
  clientSecret: secret,
  scope: z.string().min(1).max(1024).default('all-apis'),
  authorityUrl: z
    .url({
      protocol: /^https$/,
      error: 'must be an https URL of the token endpoint or of the identity provider',
    })
    .optional(),
});

const tokenAuth = { authenticationType: z.literal('token'), token: secret };
const oAuthAuth = { authenticationType: z.literal('oAuthM2M'), oAuthClientConfig };
const authError = { error: "must be 'token' or 'oAuthM2M'" };

const connectionFields = { technology: z.literal('Databricks'), hostname: host, port, httpPath };

/** The `connection` object of a Databricks Unity Catalog connection (`POST /data/connection`). */
export const databricksConnectionSchema = z.discriminatedUnion(
  'authenticationType',
  [
    z.strictObject({ ...connectionFields, ...tokenAuth }),
    z.strictObject({ ...connectionFields, ...oAuthAuth }),
  ],
  authError,
);

const integrationFields = {
  host,
  port,
  catalog: catalogName,
  audit: z.strictObject({ enabled: z.boolean() }),
  workspaceIds: z.array(z.string().min(1).max(255)).max(1000).optional(),
  enableNativeQueryParsing: z.boolean().optional(),
  groupPattern: z.strictObject({ deny: z.string().min(1).max(255) }).optional(),
  jobConfig: z
    .strictObject({
      workspaceDirectoryPath: z.string().min(1).max(1024).optional(),
      jobClusterId: z.string().min(1).max(255).optional(),
    })
    .optional(),
};

/** The `nativeIntegration` object of a Databricks connection: the Steward-owned catalog and its settings. */
export const databricksNativeIntegrationSchema = z.strictObject({
  type: z.literal('Databricks'),
  autoBootstrap: z.boolean(),
  unityCatalog: z.literal(true, { error: 'must be true: Steward governs Databricks through Unity Catalog' }),
  config: z.discriminatedUnion(
    'authenticationType',
    [
      z.strictObject({ ...integrationFields, ...tokenAuth }),
      z.strictObject({ ...integrationFields, ...oAuthAuth }),
    ],
    authError,
  ),
});

const scriptFields = {
  workspaceUrl: host,
  httpPath,
  catalog: catalogName,
  audit: z.strictObject({ enabled: z.boolean() }).optional(),
  groupPattern: z.strictObject({ deny: z.string().min(1).max(255) }).optional(),
};

/** The `config` of `POST /integrations/scripts/create` with `type: "Databricks"`. */
export const databricksScriptConfigSchema = z.discriminatedUnion(
  'authenticationType',
  [z.strictObject({ ...scriptFields, ...tokenAuth }), z.strictObject({ ...scriptFields, ...oAuthAuth })],
  authError,
);

/** A Databricks connection payload after validation. */
export type DatabricksConnection = z.output<typeof databricksConnectionSchema>;
/** A Databricks native integration after validation. */
export type DatabricksNativeIntegration = z.output<typeof databricksNativeIntegrationSchema>;
/** A Databricks script config after validation. */
export type DatabricksScriptConfig = z.output<typeof databricksScriptConfigSchema>;
/** The OAuth machine-to-machine client settings after validation. */
export type OAuthClientConfig = z.output<typeof oAuthClientConfig>;
/** The credentials of a connection, integration or script config: a token or an OAuth client. */
export type DatabricksCredentials =
  | { readonly authenticationType: 'token'; readonly token: string }
  | { readonly authenticationType: 'oAuthM2M'; readonly oAuthClientConfig: OAuthClientConfig };

/**
 * Returns the SQL warehouse ID an HTTP path names (`/sql/1.0/warehouses/<id>`, or the older
 * `/sql/1.0/endpoints/<id>`), or undefined for a cluster path, on which statements cannot run.
 */
export function warehouseIdOf(path: string): string | undefined {
  return /^\/sql\/1\.0\/(?:warehouses|endpoints)\/([A-Za-z0-9]+)$/.exec(path)?.[1];
}

function fieldErrorsOf(issues: readonly z.core.$ZodIssue[], at: readonly PropertyKey[]): FieldError[] {
  return issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => fieldError('body', [...at, ...i.path, k], 'is not a known field'))
      : [fieldError('body', [...at, ...i.path], i.message)],
  );
}

/**
 * Validates a payload (again: stored payloads are re-read with their defaults), throwing
 * REQUEST_INVALID whose field errors name each offending field under `at`, e.g. `connection.token`.
 */
export function parsePayload<T>(schema: z.ZodType<T>, value: unknown, at: readonly PropertyKey[]): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = fieldErrorsOf(result.error.issues, at);
  throw new AppError('REQUEST_INVALID', `Invalid ${errors[0]?.field}: ${errors[0]?.detail}.`, { errors });
}
