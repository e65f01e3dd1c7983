import { createHash } from 'node:crypto';
import { AppError, safeErrorMessage } from '../../errors/index.ts';
import type { AccessPlan, ColumnMask } from '../../policy/access-plan.ts';
import { isGoverned } from '../../policy/access-plan.ts';
import { not } from '../../policy/condition.ts';
import { typeFamily } from '../../policy/mask.ts';
import type { EnforcementTarget } from '../platform.ts';
import { conditionSql, type ExprContext, isGovernedSql, maskSql, rowExprSql } from './compile-expr.ts';
import { mirrorSchemaName } from './names.ts';
import { quoteIdent, quoteLiteral, quoteQualified } from './quote.ts';

/** The policy letting roles Steward does not govern keep exactly what their grants give them. */
export const UNMANAGED_POLICY = 'steward_unmanaged';
/** The policy filtering what governed people read from the base table. */
export const READ_POLICY = 'steward_read';
/** The policy filtering what governed people read through the masking view (addressed to the views role). */
export const VIEW_POLICY = 'steward_view';
/**
 * The restrictive policy, addressed to the views role, that keeps the other policies (which apply to
 * PUBLIC) from opening the view: through it only governed people who may read the table see rows.
 */
export const VIEW_GUARD_POLICY = 'steward_view_guard';
/** Every comment Steward writes on its objects starts with this. */
export const COMMENT_PREFIX = 'steward:';

/** One of the row level security policies Steward puts on a governed table. */
export interface DesiredPolicy {
  readonly name: typeof UNMANAGED_POLICY | typeof READ_POLICY | typeof VIEW_POLICY | typeof VIEW_GUARD_POLICY;
  readonly command: 'ALL' | 'SELECT';
  /** A restrictive policy must hold on top of the permissive ones. */
  readonly restrictive?: true;
  /** The role the policy is for; PUBLIC when absent. */
  readonly role?: string;
  readonly using: string;
  readonly check?: string;
  /** SHA-256 (hex) of the USING and CHECK text; the policy's comment is `steward:<hash>`. */
  readonly hash: string;
}

/** The masking view of a governed table, in its mirror schema. */
export interface DesiredView {
  readonly schema: string;
  readonly name: string;
  /** The view's query (`SELECT <columns, masked ones as CASE> FROM <table>`); rows are filtered by row level security. */
  readonly definition: string;
  /** The role owning the view (no BYPASSRLS), which the `steward_view` policy is addressed to. */
  readonly owner: string;
  /** SHA-256 (hex) of the definition. */
  readonly hash: string;
  /** `steward:<dataSourceId>:<hash>`. */
  readonly comment: string;
}

/** Everything Steward wants on one governed table. */
export interface DesiredTable {
  readonly dataSourceId: string;
  readonly schema: string;
  readonly table: string;
  /** Row level security enabled and forced (so owner-owned views apply the policies too). */
  readonly rowSecurity: true;
  readonly forceRowSecurity: true;
  readonly policies: readonly DesiredPolicy[];
  readonly view: DesiredView;
  /** The hash salt, stored in `<steward>.mask_salts`. */
  readonly salt: string;
}

/** A target that could not be compiled, with a safe reason. */
export interface CompileFailure {
  readonly dataSourceId: string;
  readonly schema: string;
  readonly table: string;
  readonly error: string;
}

/** What Steward wants a PostgreSQL database to hold for a set of targets. */
export interface DesiredState {
  readonly stewardSchema: string;
  /** Governed tables, in target order; targets whose plan governs nothing are left out. */
  readonly tables: readonly DesiredTable[];
  readonly failures: readonly CompileFailure[];
  /** The mirror schemas the views need, sorted. */
  readonly mirrorSchemas: readonly string[];
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** ANDs SQL booleans, dropping TRUE; FALSE anywhere makes FALSE. */
function all(parts: readonly string[]): string {
  const kept = parts.filter((p) => p !== 'TRUE');
  if (kept.includes('FALSE')) return 'FALSE';
  return kept.length === 0 ? 'TRUE' : kept.join(' AND ');
}

/** ORs SQL booleans, dropping FALSE; TRUE anywhere makes TRUE. */
function any(parts: readonly string[]): string {
  const kept = parts.filter((p) => p !== 'FALSE');
  if (kept.includes('TRUE')) return 'TRUE';
  if (kept.length === 0) return 'FALSE';
  return kept.length === 1 ? (kept[0] as string) : `(${kept.join(' OR ')})`;
}

/** The subscription condition and each row filter `(NOT appliesWhen) OR predicate`. */
function accessTerms(plan: AccessPlan, ctx: ExprContext): string[] {
  const terms = [plan.subscription ? conditionSql(plan.subscription.condition, ctx) : 'TRUE'];
  for (const filter of plan.rowFilters) {
    terms.push(any([conditionSql(not(filter.appliesWhen), ctx), rowExprSql(filter.predicate, ctx)]));
  }
  return terms;
}

/**
 * True on rows where the column is in the clear for the querying person: under `appliesWhen` only
 * where `rowCondition` is FALSE (never without one); otherwise only when there is no `otherwise` mask.
 */
function clearSql(m: ColumnMask, ctx: ExprContext): string {
  const applies = conditionSql(m.appliesWhen, ctx);
  const rowClear = m.rowCondition ? `((${rowExprSql(m.rowCondition, ctx)}) IS FALSE)` : 'FALSE';
  if (m.otherwise === undefined) return any([conditionSql(not(m.appliesWhen), ctx), rowClear]);
  return all([applies, rowClear]);
}

/** The column's expression in the view: the mask under `appliesWhen`, `otherwise` or the value else. */
function maskedColumnSql(m: ColumnMask, ctx: ExprContext): string {
  const col = quoteIdent(m.column);
  const mask = maskSql(m.mask, col, m.family, ctx);
  const applied = m.rowCondition
    ? `CASE WHEN (${rowExprSql(m.rowCondition, ctx)}) IS FALSE THEN ${col} ELSE ${mask} END`
    : mask;
  // A branch yielding the column keeps the CASE of the column's type even when both masks are
  // untyped (NULL, a constant); WHEN FALSE is never taken and the planner folds it away.
  const keepType = m.otherwise === undefined ? '' : ` WHEN FALSE THEN ${col}`;
  const otherwise = m.otherwise === undefined ? col : maskSql(m.otherwise, col, m.family, ctx);
  return `CASE WHEN ${conditionSql(m.appliesWhen, ctx)} THEN ${applied}${keepType} ELSE ${otherwise} END AS ${col}`;
}

/** Compiles one governed plan to the objects of its table; throws a catalogue error when it cannot. */
export function compileTable(
  target: EnforcementTarget,
  stewardSchema: string,
  viewsRole: string,
): DesiredTable {
  const { plan } = target;
  const { id, schema, table, columns } = plan.target;
  if (schema === stewardSchema)
    throw new AppError('POLICY_INVALID', `The Steward schema ${schema} holds no data Steward governs.`);
  const ctx: ExprContext = {
    stewardSchema,
    dataSourceId: id,
    table,
    families: new Map(columns.map((c) => [c.name, typeFamily(c.dataType)])),
  };
  const governed = isGovernedSql(ctx);
  const unmanaged = `(NOT ${governed})`;
  const access = accessTerms(plan, ctx);
  const read = all([governed, ...access, ...plan.masks.map((m) => clearSql(m, ctx))]);
  const policy = (p: Omit<DesiredPolicy, 'hash'>): DesiredPolicy => ({
    ...p,
    hash: sha256(
      `${p.restrictive ? 'RESTRICTIVE' : 'PERMISSIVE'}\n${p.role ?? 'PUBLIC'}\n${p.using}\n${p.check ?? ''}`,
    ),
  });
  const masks = new Map(plan.masks.map((m) => [m.column, m]));
  for (const m of plan.masks) {
    if (!ctx.families.has(m.column))
      throw new AppError(
        'POLICY_INVALID',
        `The masked column ${m.column} is not a column of ${schema}.${table}.`,
      );
  }
  const select = columns.map((c) => {
    const m = masks.get(c.name);
    return m ? maskedColumnSql(m, ctx) : quoteIdent(c.name);
  });
  const canRead = `(SELECT has_table_privilege(${quoteLiteral(quoteQualified(schema, table))}, 'SELECT'))`;
  // No WHERE and no security barrier: the view is a projection the planner flattens (so scans stay
  // parallel); its rows are filtered by the table's row level security, through the policy addressed
  // to the role owning the view, before any predicate of the query runs.
  const definition = `SELECT ${select.join(', ')} FROM ${quoteQualified(schema, table)}`;
  const hash = sha256(definition);
  return {
    dataSourceId: id,
    schema,
    table,
    rowSecurity: true,
    forceRowSecurity: true,
    policies: [
      policy({ name: UNMANAGED_POLICY, command: 'ALL', using: unmanaged, check: unmanaged }),
      policy({ name: READ_POLICY, command: 'SELECT', using: read }),
      policy({ name: VIEW_POLICY, command: 'SELECT', role: viewsRole, using: all(access) }),
      policy({
        name: VIEW_GUARD_POLICY,
        command: 'SELECT',
        role: viewsRole,
        restrictive: true,
        using: all([governed, canRead]),
      }),
    ],
    view: {
      schema: mirrorSchemaName(stewardSchema, schema),
      name: table,
      definition,
      owner: viewsRole,
      hash,
      comment: `${COMMENT_PREFIX}${id}:${hash}`,
    },
    salt: target.salt,
  };
}

/**
 * Compiles the governed targets of a connection to the PostgreSQL objects that enforce them (pure):
 * per table, forced row level security, the `steward_unmanaged` and `steward_read` policies, the
 * masking view in the mirror schema and the hash salt. A target that cannot compile is a failure of
 * its own; the others are unaffected.
 */
export function compilePostgres(
  targets: readonly EnforcementTarget[],
  stewardSchema: string,
  viewsRole: string,
): DesiredState {
  const tables: DesiredTable[] = [];
  const failures: CompileFailure[] = [];
  const seen = new Map<string, string>();
  for (const target of targets) {
    if (!isGoverned(target.plan)) continue;
    const { id, schema, table } = target.plan.target;
    const key = JSON.stringify([schema, table]);
    const other = seen.get(key);
    if (other !== undefined || [...seen.values()].includes(id)) {
      const error =
        other !== undefined
          ? `The table ${schema}.${table} is also the target of data source ${other}.`
          : `The data source ${id} is targeted twice.`;
      failures.push({ dataSourceId: id, schema, table, error });
      continue;
    }
    seen.set(key, id);
    try {
      tables.push(compileTable(target, stewardSchema, viewsRole));
    } catch (error) {
      failures.push({ dataSourceId: id, schema, table, error: safeErrorMessage(error, 300) });
    }
  }
  const mirrorSchemas = [...new Set(tables.map((t) => t.view.schema))].sort();
  return { stewardSchema, tables, failures, mirrorSchemas };
}
