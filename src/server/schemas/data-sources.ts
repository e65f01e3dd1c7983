import { z } from 'zod';
import { appliedTagSchema } from './tags.ts';

/** The domain a data source belongs to. */
const domainRefSchema = z.object({ id: z.number().int(), name: z.string() }).nullable();

/** A data source in search results. */
export const dataSourceSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    objectPath: z.array(z.string()),
    connectionKey: z.string(),
    tableKind: z.string().nullable(),
    status: z.enum(['enabled', 'disabled']).describe('disabled while its table is dropped from the platform'),
    domain: domainRefSchema,
    tags: z.array(z.string()).describe('Tags on the data source itself (not its columns).'),
  })
  .meta({ id: 'DataSourceSummary' });

/** One health check of a data source. */
export const healthCheckSchema = z.object({
  name: z.enum(['crawl', 'discovery', 'policyApplied']),
  status: z.enum(['passed', 'skipped', 'unknown', 'failed']),
  detail: z.string(),
});

/** A column of a data source, with its dictionary description and tags. */
export const dataSourceColumnSchema = z.object({
  name: z.string(),
  position: z.number().int(),
  dataType: z.string(),
  remoteType: z.string(),
  nullable: z.boolean(),
  comment: z.string().nullable().describe('The comment in the platform.'),
  description: z.string().nullable().describe('The description edited in the data dictionary.'),
  tags: z.array(appliedTagSchema),
});

/** An owner of a data source: a member with the owner role, or named by the `dataOwners` setting. */
export const ownerSchema = z.object({
  type: z.enum(['user', 'group']),
  id: z.number().int().nullable(),
  name: z.string().nullable(),
  via: z.enum(['member', 'dataOwnersSetting']),
});

/** A data source as `GET /dataSource/{id}` returns it. */
export const dataSourceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    objectPath: z.array(z.string()),
    connectionKey: z.string(),
    technology: z.string(),
    database: z.string(),
    schema: z.string(),
    table: z.string(),
    tableKind: z.string().nullable(),
    comment: z.string().nullable(),
    status: z.enum(['enabled', 'disabled']),
    healthStatus: z.enum(['healthy', 'notHealthy']),
    healthChecks: z.array(healthCheckSchema),
    domain: domainRefSchema,
    tags: z.array(appliedTagSchema),
    columns: z.array(dataSourceColumnSchema),
    owners: z.array(ownerSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
    droppedAt: z.string().nullable(),
  })
  .meta({ id: 'DataSource' });

/** The membership states of the reference's v1 API, and the stored role each stands for. */
export const MEMBER_STATES = ['subscribed', 'owner', 'expert'] as const;

/** A member of a data source. */
export const memberSchema = z
  .object({
    profileId: z.number().int(),
    username: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    state: z.enum(MEMBER_STATES),
    expiration: z.string().nullable(),
    expired: z.boolean(),
    addedAt: z.string(),
    addedBy: z.number().int().nullable(),
  })
  .meta({ id: 'DataSourceMember' });

/** One column of the data dictionary. */
export const dictionaryColumnSchema = z.object({
  name: z.string(),
  dataType: z.string(),
  remoteType: z.string(),
  description: z.string().nullable(),
  tags: z.array(appliedTagSchema),
});

/** The data dictionary of a data source. */
export const dictionarySchema = z
  .object({
    dataSource: z.string().describe('The data source id.'),
    dataSourceName: z.string(),
    metadata: z.array(dictionaryColumnSchema),
  })
  .meta({ id: 'Dictionary' });
