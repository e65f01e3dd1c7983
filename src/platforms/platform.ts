import type { z } from 'zod';
import type { Identifier } from '../discovery/identifier.ts';
import type { ColumnHits } from '../discovery/scoring.ts';
import type { FieldError } from '../errors/index.ts';
import type { AccessPlan } from '../policy/access-plan.ts';

/** The kinds of table-like objects a catalog holds. */
export type TableKind =
  | 'table'
  | 'view'
  | 'materializedView'
  | 'partitionedTable'
  | 'foreignTable'
  | 'externalTable'
  | 'streamingTable';

/** A column as the platform's catalog describes it. */
export interface CatalogColumn {
  readonly name: string;
  /** The platform's own type text, e.g. `character varying(80)` or `DECIMAL(10,2)`. */
  readonly remoteType: string;
  /** A platform-neutral type family: text, integer, decimal, float, boolean, date, timestamp, binary, json, array, struct, map, other. */
  readonly dataType: string;
  readonly nullable: boolean;
  readonly position: number;
  readonly comment: string | null;
}

/** A table, view or similar object with its columns. */
export interface CatalogTable {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
  readonly kind: TableKind;
  readonly comment: string | null;
  readonly columns: readonly CatalogColumn[];
}

/** A schema of a database (catalog on Databricks). */
export interface CatalogSchema {
  readonly name: string;
  readonly comment: string | null;
}

/** The status of one named validation test, as in the reference's `validationTests`. */
export interface ValidationTest {
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'skipped' | 'warning';
  readonly result?: string;
}

/** Which script an integration asks for. */
export type ScriptKind = 'create' | 'cleanup' | 'delete';

/** An open session on a platform: it runs statements and catalog reads; it never builds SQL itself. */
export interface PlatformSession {
  close(): Promise<void>;
}

/**
 * A connection as stored: its public settings and its secrets (decrypted only while in use). Both are
 * the platform's own payload shapes, `connection` and `nativeIntegration` as the reference sends them.
 */
export interface ConnectionConfig {
  readonly connectionKey: string;
  readonly connection: Record<string, unknown>;
  readonly nativeIntegration: Record<string, unknown> | undefined;
}

/**
 * The columns of each Steward-owned entitlement table, in the order rows carry their values. Every
 * platform's setup script creates these five tables; `principal` is the platform's user name.
 * `user_principals` lists every person Steward governs: a role without a row there is unmanaged.
 */
export const ENTITLEMENT_COLUMNS = {
  user_principals: ['principal'],
  user_groups: ['principal', 'group_name'],
  user_attributes: ['principal', 'attribute_key', 'attribute_value'],
  user_subscriptions: ['principal', 'data_source_id'],
  user_purposes: ['principal', 'purpose'],
} as const satisfies Record<string, readonly string[]>;

/** The name of one entitlement table. */
export type EntitlementTable = keyof typeof ENTITLEMENT_COLUMNS;

/** The entitlement tables, in the order they are synced. */
export const ENTITLEMENT_TABLES = Object.keys(ENTITLEMENT_COLUMNS) as EntitlementTable[];

/** The rows every entitlement table should hold for one connection: sets, without duplicates. */
export interface EntitlementRows {
  readonly user_principals: ReadonlyArray<readonly [principal: string]>;
  readonly user_groups: ReadonlyArray<readonly [principal: string, groupName: string]>;
  readonly user_attributes: ReadonlyArray<readonly [principal: string, key: string, value: string]>;
  readonly user_subscriptions: ReadonlyArray<readonly [principal: string, dataSourceId: string]>;
  readonly user_purposes: ReadonlyArray<readonly [principal: string, purpose: string]>;
}

/** What an entitlement sync changed in one table. */
export interface EntitlementTableResult {
  /** Rows the table holds afterwards. */
  readonly rows: number;
  readonly inserted: number;
  readonly deleted: number;
}

/** What an entitlement sync changed: totals and per table. */
export interface EntitlementSyncResult {
  readonly inserted: number;
  readonly deleted: number;
  readonly tables: { readonly [T in EntitlementTable]: EntitlementTableResult };
}

/** Named capability flags; shared code branches on these, never on the technology name. */
export interface PlatformCapabilities {
  /** A connection holds several databases (catalogs) rather than exactly one. */
  readonly multipleDatabases: boolean;
  /** Steward can read query audit from the platform. */
  readonly queryAudit: boolean;
  /** `nativeIntegration` may be left out of a connection payload (defaults apply). */
  readonly nativeIntegrationOptional?: boolean;
}

/**
 * One data platform: its payload schemas, how to connect, test, crawl and bootstrap it. Each platform
 * folder exports one object implementing this; the registry is built in the composition root.
 */
export interface Platform<S extends PlatformSession = PlatformSession> {
  /** The `technology` / `type` value of the reference payloads, e.g. `PostgreSQL`, `Databricks`. */
  readonly technology: string;
  readonly capabilities: PlatformCapabilities;
  /** The `connection` object of `POST /data/connection` for this technology. */
  readonly connectionSchema: z.ZodType<Record<string, unknown>>;
  /** The `nativeIntegration` object, or undefined when the technology takes none. */
  readonly nativeIntegrationSchema: z.ZodType<Record<string, unknown>> | undefined;
  /** The `config` object of `POST /integrations/scripts/create` for this technology. */
  readonly scriptConfigSchema: z.ZodType<Record<string, unknown>>;
  /** The default port when the payload gives none. */
  readonly defaultPort: number;

  /**
   * Returns field errors for values that must agree between `connection` and `nativeIntegration`
   * (host and hostname, authentication types...), each naming both fields. Empty when consistent.
   */
  checkConsistency(payload: {
    readonly connection: Record<string, unknown>;
    readonly nativeIntegration: Record<string, unknown> | undefined;
  }): FieldError[];

  /** Returns the host (or workspace) and Steward-owned namespace (schema or catalog) a payload names. */
  describe(payload: {
    readonly connection: Record<string, unknown>;
    readonly nativeIntegration: Record<string, unknown> | undefined;
  }): { readonly host: string; readonly stewardNamespace: string | undefined };

  /** The host and Steward-owned namespace a script config names, to check a later connection against. */
  describeScript(config: Record<string, unknown>): {
    readonly host: string;
    readonly stewardNamespace: string;
  };

  /** Returns the script a platform admin runs once (create), or the one that removes Steward's objects. */
  integrationScript(config: Record<string, unknown>, kind: ScriptKind): string;

  /**
   * Returns the script that removes Steward's objects for a registered connection, from its stored
   * public settings (no credentials are needed, and none are written into the script).
   */
  removalScript?(payload: {
    readonly connection: Record<string, unknown>;
    readonly nativeIntegration: Record<string, unknown> | undefined;
  }): string;

  /** Opens a session with a connection's credentials; throws a catalogue error with a clear cause on failure. */
  connect(config: ConnectionConfig, signal?: AbortSignal): Promise<S>;

  /** Runs the named validation tests of a dry run; never throws for an unreachable host or bad credentials. */
  validate(config: ConnectionConfig, signal?: AbortSignal): Promise<ValidationTest[]>;

  /** Lists the databases (catalogs) the connection crawls, without the Steward-owned one. */
  listDatabases(session: S, signal?: AbortSignal): Promise<string[]>;

  /** Lists the schemas of a database, without system and Steward-owned schemas. */
  listSchemas(session: S, database: string, signal?: AbortSignal): Promise<CatalogSchema[]>;

  /**
   * Reads the tables of some schemas of a database with their columns, in batches, in a few set-based
   * requests (never one per table), so a crawl of 100,000 tables holds one batch at a time.
   */
  readTables(
    session: S,
    database: string,
    schemas: readonly string[],
    signal?: AbortSignal,
  ): AsyncIterable<CatalogTable[]>;

  /**
   * Makes the Steward-owned entitlement tables hold exactly `rows`: reads what they hold, and writes
   * only the difference, with values passed as statement parameters and no DDL. Absent on platforms
   * that take entitlements another way.
   */
  syncEntitlements?(session: S, rows: EntitlementRows, signal?: AbortSignal): Promise<EntitlementSyncResult>;

  /**
   * Makes the platform enforce exactly `targets` (every governed data source of the connection):
   * compiles each plan to platform objects, reads what the platform really has, and applies only the
   * difference, each data source atomically; objects of data sources no longer governed are removed.
   * A second call with the same targets executes nothing. Absent on platforms that cannot enforce yet.
   */
  enforce?(
    session: S,
    targets: readonly EnforcementTarget[],
    options: EnforcementOptions,
    signal?: AbortSignal,
  ): Promise<EnforcementReport>;

  /**
   * Discovery inside the platform: samples at most `sampleSize` rows of one table and returns, per
   * column and identifier, only how many sampled non-null values matched, in one set-based query.
   * Value regexes are counted without their validator (a necessary condition the caller completes);
   * dictionaries by membership. Patterns and values travel as statement parameters; no sampled value
   * leaves the platform. Absent on platforms that cannot run discovery yet.
   */
  sampleHits?(session: S, request: SampleRequest, signal?: AbortSignal): Promise<TableSampleHits>;

  /**
   * Reads the same bounded sample's values of some columns as text, for identifiers whose rule the
   * platform's SQL cannot express (checksums). The caller evaluates them in memory and drops them:
   * they are never stored, logged or returned.
   */
  sampleValues?(
    session: S,
    request: SampleRequest,
    signal?: AbortSignal,
  ): Promise<ReadonlyMap<string, ReadonlyArray<string | null>>>;
}

/** A table to sample for discovery, with the columns to test and their type families. */
export interface SampleRequest {
  readonly database: string;
  readonly schema: string;
  readonly table: string;
  readonly columns: ReadonlyArray<{ readonly name: string; readonly dataType: string }>;
  /** The value identifiers to count (column-name identifiers are evaluated by Steward). */
  readonly identifiers: readonly Identifier[];
  /** The most rows to sample. */
  readonly sampleSize: number;
}

/** Hit counts of one table's sample. */
export interface TableSampleHits {
  /** Rows sampled. */
  readonly rows: number;
  /** Per column: non-null sampled values, and hits by identifier id for identifiers tested on it. */
  readonly columns: ReadonlyMap<string, ColumnHits>;
}

/** One data source's access plan with its hash salt: what a platform enforces for it. */
export interface EnforcementTarget {
  readonly plan: AccessPlan;
  /** The per-table salt of hash masks (hex); kept by Steward, stored in the platform out of users' reach. */
  readonly salt: string;
}

/** One change a reconcile made, or would make on a dry run. */
export interface EnforcementChange {
  /** The platform object, qualified (`policy steward_read on sales.customers`). */
  readonly object: string;
  readonly action: 'create' | 'replace' | 'drop' | 'alter' | 'grant' | 'revoke';
  /** Why: `missing`, `changed`, `no longer governed`, or what drifted (`row level security was disabled`). */
  readonly reason: string;
  /** True when the platform differed from what Steward last applied (an out-of-band change). */
  readonly drift: boolean;
}

/** What a reconcile did for one data source. */
export interface EnforcementItem {
  readonly dataSourceId: string;
  readonly status: 'unchanged' | 'applied' | 'removed' | 'failed';
  readonly changes: readonly EnforcementChange[];
  /** The statements run (or, on a dry run, that would run), without any credential. */
  readonly statements: readonly string[];
  /** A safe message when the data source failed; its previous state is left intact. */
  readonly error?: string;
}

/** The outcome of one reconcile over a connection. */
export interface EnforcementReport {
  readonly dryRun: boolean;
  /** Statements executed in total (0 on a dry run, and on a second apply of the same plans). */
  readonly executed: number;
  readonly items: readonly EnforcementItem[];
}

/** How a reconcile runs. */
export interface EnforcementOptions {
  /** Compute and report the changes without running them. */
  readonly dryRun?: boolean;
  /**
   * Allow an empty target list to remove every Steward object from the platform. Without it an empty
   * list with objects present is refused, so an upstream error can never strip all enforcement.
   */
  readonly allowEmpty?: boolean;
}

/** Platforms by technology name. */
export type PlatformRegistry = ReadonlyMap<string, Platform>;

/** Builds the platform registry, refusing two platforms with one technology name. */
export function platformRegistry(platforms: readonly Platform[]): PlatformRegistry {
  const map = new Map<string, Platform>();
  for (const p of platforms) {
    if (map.has(p.technology)) throw new Error(`Two platforms claim the technology ${p.technology}.`);
    map.set(p.technology, p);
  }
  return map;
}
