import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

/** Users of Steward (the built-in identity manager). */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  name: string | null;
  email: string | null;
  state: 'active' | 'disabled';
  permissions: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
  external_id: ColumnType<string | null, string | null | undefined, string | null>;
  given_name: ColumnType<string | null, string | null | undefined, string | null>;
  family_name: ColumnType<string | null, string | null | undefined, string | null>;
  source: ColumnType<'bim' | 'scim', 'bim' | 'scim' | undefined, 'bim' | 'scim'>;
  /** SCIM attributes kept verbatim (emails, phoneNumbers, title, enterprise extension...). */
  scim: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** Incremented on every change; the SCIM ETag. */
  version: ColumnType<number, number | undefined, number>;
}

/** API keys: only a SHA-256 hash of each key is stored. */
export interface ApiKeysTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  prefix: string;
  hash: Buffer;
  created_at: Timestamp;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

/** Append-only audit events, after the reference's universal audit model. */
export interface AuditEventsTable {
  seq: Generated<string>;
  id: string;
  event_time: Timestamp;
  actor: Json<{ type: 'USER_ACTOR' | 'SYSTEM_ACTOR' | 'ANONYMOUS_ACTOR'; id: number | null; name: string }>;
  actor_id: number | null;
  action: string;
  action_status: 'success' | 'failure' | 'denied';
  target_type: string | null;
  targets: Json<Array<{ type: string; id: string; name?: string }>>;
  target_ids: ColumnType<string[], string[] | undefined, string[]>;
  payload: Json<Record<string, unknown>>;
  request_id: string | null;
  actor_ip: string | null;
}

/** The durable job queue. */
export interface JobsTable {
  id: string;
  bulk_id: string;
  type: string;
  state: 'created' | 'active' | 'retry' | 'completed' | 'failed' | 'cancelled' | 'expired';
  payload: Json<Record<string, unknown>>;
  output: Json<Record<string, unknown>> | null;
  progress_done: Generated<number>;
  progress_total: number | null;
  attempts: Generated<number>;
  max_attempts: number;
  run_after: Timestamp;
  lease_owner: string | null;
  lease_until: Date | null;
  lease_token: Generated<number>;
  created_by: number | null;
  created_at: Timestamp;
  started_at: Date | null;
  completed_at: Date | null;
  expire_at: Date | null;
  timeout_seconds: number;
  last_error: string | null;
}

/** Per-item results of jobs. */
export interface JobItemsTable {
  job_id: string;
  item: string;
  status: 'succeeded' | 'failed' | 'skipped';
  detail: Json<Record<string, unknown>> | null;
  recorded_at: Timestamp;
}

/** Instance-wide settings (including the encrypted key canary). */
export interface SettingsTable {
  key: string;
  value: Json<unknown>;
  updated_at: Timestamp;
}

/** Applied store migrations. */
export interface MigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

/** Setup scripts generated for platforms (public settings only), to check later connections against. */
export interface IntegrationScriptsTable {
  id: Generated<number>;
  technology: string;
  host: string;
  steward_namespace: string;
  config: Json<Record<string, unknown>>;
  created_by: number | null;
  created_at: Timestamp;
}

/** The native integration of each connection (the Steward-owned objects in the platform). */
export interface IntegrationsTable {
  id: Generated<number>;
  technology: string;
  status: string;
  auto_bootstrap: boolean;
  config: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

/** Registered connections: public settings in JSON, credentials envelope-encrypted. */
export interface ConnectionsTable {
  connection_key: string;
  technology: string;
  connection: Json<Record<string, unknown>>;
  native_integration: Json<Record<string, unknown>> | null;
  secrets: string;
  options: Json<Record<string, unknown>>;
  integration_id: number | null;
  syncing_job: string | null;
  last_synced_at: Date | null;
  created_at: Timestamp;
  created_by: number | null;
  updated_at: Timestamp;
  updated_by: number | null;
}

/** The data object hierarchy: connection, database (catalog), schema, table. */
export interface DataObjectsTable {
  id: Generated<string>;
  connection_key: string;
  path: string[];
  kind: 'connection' | 'database' | 'schema' | 'table';
  parent_id: string | null;
  ancestor_ids: ColumnType<string[], string[] | undefined, string[]>;
  name: string;
  table_kind: string | null;
  comment: string | null;
  is_active_override: boolean | null;
  activate_new_children_override: boolean | null;
  data_owners_override: Json<unknown[]> | null;
  is_active: boolean;
  state: 'active' | 'inactive';
  remote_status: ColumnType<'present' | 'dropped', 'present' | 'dropped' | undefined, 'present' | 'dropped'>;
  fingerprint: string | null;
  last_seen_job: string | null;
  domain_id: ColumnType<number | null, number | null | undefined, number | null>;
  description: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
  dropped_at: Date | null;
  /** The discovery framework assigned to this data source, overriding its domain's and the global one. */
  sdd_framework_id: ColumnType<number | null, number | null | undefined, number | null>;
}

/** Columns of tables. */
export interface DataColumnsTable {
  object_id: string;
  name: string;
  position: number;
  remote_type: string;
  data_type: string;
  nullable: boolean;
  comment: string | null;
  /** A description edited in the data dictionary; crawls keep it. */
  description: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Detected schema changes: tables created, dropped or restored; columns added, dropped or retyped. */
export interface SchemaChangesTable {
  id: Generated<string>;
  object_id: string;
  column_name: string | null;
  change:
    | 'tableCreated'
    | 'tableDropped'
    | 'tableRestored'
    | 'columnAdded'
    | 'columnDropped'
    | 'columnTypeChanged';
  before: Json<Record<string, unknown>> | null;
  after: Json<Record<string, unknown>> | null;
  job_id: string | null;
  detected_at: Timestamp;
}

/** Groups of the built-in identity manager (or provisioned by SCIM). */
export interface GroupsTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  external_id: string | null;
  source: ColumnType<'bim' | 'scim', 'bim' | 'scim' | undefined, 'bim' | 'scim'>;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Who is in which group. */
export interface GroupMembersTable {
  group_id: number;
  user_id: number;
  added_at: Timestamp;
}

/** Attribute values of users: one row per key and value (`Region: US`, `Region: CA`). */
export interface UserAttributesTable {
  user_id: number;
  attribute_key: string;
  attribute_value: string;
}

/** External user ids per connection: an explicit principal, or `none`; no row means the username. */
export interface ExternalUserIdsTable {
  user_id: number;
  connection_key: string;
  mode: 'explicit' | 'none';
  principal: string | null;
}

/** Tags: hierarchical, dot-separated names; a parent matches its children. */
export interface TagsTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  source: 'manual' | 'discovered' | 'external' | 'schemaChange';
  created_at: Timestamp;
  created_by: number | null;
}

/** Tags on data sources (column_name '') and columns. */
export interface ObjectTagsTable {
  object_id: string;
  column_name: ColumnType<string, string | undefined, string>;
  tag_id: number;
  source: 'manual' | 'discovered' | 'external' | 'schemaChange';
  status: ColumnType<'active' | 'rejected', 'active' | 'rejected' | undefined, 'active' | 'rejected'>;
  added_at: Timestamp;
  added_by: number | null;
  /** When a data owner confirmed a discovered tag (a later run does not remove it). */
  confirmed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  confirmed_by: ColumnType<number | null, number | null | undefined, number | null>;
}

/** Domains: groups of data sources with their own delegated permissions. */
export interface DomainsTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  created_at: Timestamp;
  created_by: number | null;
  /** The discovery framework of the domain's data sources, overriding the global one. */
  sdd_framework_id: ColumnType<number | null, number | null | undefined, number | null>;
}

/** User-defined discovery identifiers (`/sdd/classifier`); built-in ones live in code. */
export interface SddIdentifiersTable {
  name: string;
  display_name: string;
  description: ColumnType<string, string | undefined, string>;
  type: 'regex' | 'columnNameRegex' | 'dictionary';
  /** The canonical, portable pattern both Steward and the platform evaluate. */
  pattern: string | null;
  /** The pattern as the user wrote it. */
  source_pattern: string | null;
  dictionary: Json<string[]> | null;
  case_sensitive: ColumnType<boolean, boolean | undefined, boolean>;
  tags: string[];
  specificity: ColumnType<number, number | undefined, number>;
  data_types: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Timestamp;
  created_by: number | null;
  updated_at: Timestamp;
}

/** One identifier of a framework, with the tags it applies in that framework (copied when added). */
export interface FrameworkEntry {
  readonly name: string;
  readonly tags?: readonly string[];
}

/** Discovery frameworks (`/sdd/template`): named sets of identifiers; at most one is global. */
export interface SddFrameworksTable {
  id: Generated<number>;
  name: string;
  display_name: string;
  description: ColumnType<string, string | undefined, string>;
  identifiers: ColumnType<FrameworkEntry[], string | undefined, string>;
  /** The built-in framework holds every built-in identifier (its list is not stored). */
  built_in: ColumnType<boolean, boolean | undefined, boolean>;
  is_global: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  created_by: number | null;
  updated_at: Timestamp;
}

/** What discovery last concluded about each column (never any sampled value). */
export interface ColumnDiscoveryTable {
  object_id: string;
  column_name: string;
  framework: string;
  /** Sampled non-null values. */
  sampled: number;
  /** Identifier -> share of sampled non-null values it matched (0..1). */
  hit_rates: ColumnType<Record<string, number>, string | undefined, string>;
  identifier: string | null;
  name_matches: ColumnType<string[], string[] | undefined, string[]>;
  /** The tags discovery applied (rejected ones excluded). */
  tags: ColumnType<string[], string[] | undefined, string[]>;
  evaluated_in: 'platform' | 'platform+steward' | 'name';
  job_id: string | null;
  discovered_at: Timestamp;
}

/** Domain-scoped permissions of users. */
export interface DomainPermissionsTable {
  domain_id: number;
  user_id: number;
  permission: 'Manage Policies' | 'Audit Activity';
}

/** Members of data sources: owners, subscribers and experts. */
export interface DataSourceMembersTable {
  object_id: string;
  user_id: number;
  role: 'owner' | 'subscriber' | 'expert';
  expires_at: Date | null;
  added_at: Timestamp;
  added_by: number | null;
}

/** Per connection: when people's facts last changed and when they were last pushed to the platform. */
export interface EntitlementSyncTable {
  connection_key: string;
  changed_at: Timestamp;
  pushed_at: Date | null;
  pushed_rows: number | null;
  last_error: string | null;
}

/** Policies: the normalized document, its key, scope and version. */
export interface PoliciesTable {
  id: Generated<number>;
  policy_key: string;
  name: string;
  type: 'subscription' | 'data';
  scope: 'global' | 'local';
  data_source_id: string | null;
  staged: boolean;
  document: Json<Record<string, unknown>>;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  created_by: number | null;
  updated_at: Timestamp;
  updated_by: number | null;
}

/** Every version of every policy, including its deletion. */
export interface PolicyVersionsTable {
  policy_id: number;
  version: number;
  policy_key: string;
  change: 'created' | 'updated' | 'deleted';
  staged: boolean;
  document: Json<Record<string, unknown>>;
  changed_at: Timestamp;
  changed_by: number | null;
}

/** Purposes people may act under. */
export interface PurposesTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  created_at: Timestamp;
}

/** The purposes each user acts under. */
export interface UserPurposesTable {
  user_id: number;
  purpose_id: number;
}

/** Requests to subscribe to a data source, and their decisions. */
export interface AccessRequestsTable {
  id: Generated<number>;
  data_source_id: string;
  user_id: number;
  state: ColumnType<
    'pending' | 'approved' | 'denied' | 'withdrawn',
    'pending' | 'approved' | 'denied' | 'withdrawn' | undefined,
    'pending' | 'approved' | 'denied' | 'withdrawn'
  >;
  reason: string | null;
  requested_at: Timestamp;
  decided_at: Date | null;
  decided_by: number | null;
  decision_note: string | null;
}

/** Per data source: the access plan Steward wants enforced, the one last enforced, and the hash salt. */
export interface DataSourceEnforcementTable {
  data_source_id: string;
  connection_key: string;
  salt: string;
  desired_hash: string | null;
  desired_plan: Json<Record<string, unknown>> | null;
  desired_at: Date | null;
  applied_hash: string | null;
  applied_plan: Json<Record<string, unknown>> | null;
  previous_plan: Json<Record<string, unknown>> | null;
  applied_at: Date | null;
  last_error: string | null;
  /** Policy id -> the version of it the applied plan was computed from. */
  policy_versions: ColumnType<Record<string, number>, string | undefined, string>;
}

/** The metadata store's tables, as Kysely sees them. */
export interface Database {
  users: UsersTable;
  api_keys: ApiKeysTable;
  audit_events: AuditEventsTable;
  jobs: JobsTable;
  job_items: JobItemsTable;
  steward_settings: SettingsTable;
  steward_migrations: MigrationsTable;
  integration_scripts: IntegrationScriptsTable;
  integrations: IntegrationsTable;
  connections: ConnectionsTable;
  data_objects: DataObjectsTable;
  data_columns: DataColumnsTable;
  schema_changes: SchemaChangesTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  user_attributes: UserAttributesTable;
  external_user_ids: ExternalUserIdsTable;
  tags: TagsTable;
  object_tags: ObjectTagsTable;
  domains: DomainsTable;
  domain_permissions: DomainPermissionsTable;
  data_source_members: DataSourceMembersTable;
  entitlement_sync: EntitlementSyncTable;
  policies: PoliciesTable;
  policy_versions: PolicyVersionsTable;
  purposes: PurposesTable;
  user_purposes: UserPurposesTable;
  access_requests: AccessRequestsTable;
  data_source_enforcement: DataSourceEnforcementTable;
  sdd_identifiers: SddIdentifiersTable;
  sdd_frameworks: SddFrameworksTable;
  column_discovery: ColumnDiscoveryTable;
}

/** A query handle on the metadata store: the database itself or an open transaction. */
export type Db = Kysely<Database> | Transaction<Database>;
