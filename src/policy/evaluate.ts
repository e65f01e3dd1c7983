import { createHash } from 'node:crypto';
import type { AccessPlan, ColumnMask } from './access-plan.ts';
import { assertNever, type Condition } from './condition.ts';
import type { Mask } from './mask.ts';
import type { RowExpr, SubjectValues } from './row-expr.ts';
import type { Subject } from './subject.ts';

/** A SQL value as the `pg` driver returns it. */
export type SqlValue = string | number | boolean | Date | null;
/** A row by column name. */
export type Row = Readonly<Record<string, SqlValue>>;

/** What evaluation needs besides the plan, the subject and the rows. */
export interface EvaluationContext {
  /** The per-table salt of hash masks. */
  readonly salt: string;
  /** The clock `now()` reads (time restrictions). */
  readonly now?: Date;
  /** Rows of lookup tables, by `schema.table`; evaluating an `inLookup` without them throws. */
  readonly lookups?: ReadonlyMap<string, readonly Row[]>;
}

/** Returns true when the subject meets the condition; `subscribed` is about the plan's data source. */
export function conditionHolds(c: Condition, s: Subject, dataSourceId: string): boolean {
  switch (c.kind) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'inGroup':
      return s.groups.has(c.group);
    case 'hasAttribute':
      return s.attributes.get(c.key)?.has(c.value) ?? false;
    case 'hasAttributeKey':
      return (s.attributes.get(c.key)?.size ?? 0) > 0;
    case 'usingPurpose':
      return s.purposes.has(c.purpose);
    case 'subscribed':
      return s.subscriptions.has(dataSourceId);
    case 'and':
      return c.items.every((i) => conditionHolds(i, s, dataSourceId));
    case 'or':
      return c.items.some((i) => conditionHolds(i, s, dataSourceId));
    case 'not':
      return !conditionHolds(c.item, s, dataSourceId);
    default:
      return assertNever(c);
  }
}

/** The text form PostgreSQL gives a value (`::text`), for the types the evaluator supports. */
export function sqlText(v: Exclude<SqlValue, null>): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

function toNumber(v: Exclude<SqlValue, null>): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  return Number(v);
}

function cmp(a: Exclude<SqlValue, null>, b: Exclude<SqlValue, null>): number {
  if (a instanceof Date || b instanceof Date) return toNumber(a) - toNumber(b);
  if (typeof a === 'number' || typeof b === 'number') return toNumber(a) - toNumber(b);
  if (typeof a === 'boolean' || typeof b === 'boolean') return toNumber(a) - toNumber(b);
  // Code point order, as the C collation compares; ordering on text depends on the database collation.
  return a < b ? -1 : a > b ? 1 : 0;
}

function likeRegex(pattern: string, caseInsensitive: boolean): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\' && i + 1 < pattern.length) {
      out += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (ch === '%') out += '[\\s\\S]*';
    else if (ch === '_') out += '[\\s\\S]';
    else out += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, caseInsensitive ? 'iu' : 'u');
}

function subjectValues(source: SubjectValues, s: Subject): ReadonlySet<string> {
  switch (source.kind) {
    case 'attribute':
      return s.attributes.get(source.key) ?? new Set();
    case 'groups':
      return s.groups;
    case 'purposes':
      return s.purposes;
  }
}

/**
 * SQL's `v IN (values)`: TRUE on a match; FALSE when there are no values at all (even for a NULL v);
 * otherwise NULL when v or any value is NULL, else FALSE.
 */
function sqlIn(v: SqlValue, values: Iterable<SqlValue>): boolean | null {
  let seen = false;
  let sawNull = false;
  for (const x of values) {
    seen = true;
    if (v === null || x === null) sawNull = true;
    else if (cmp(v, x) === 0) return true;
  }
  if (!seen) return false;
  return sawNull ? null : false;
}

/** Three-valued NOT. */
const not3 = (v: boolean | null): boolean | null => (v === null ? null : !v);

function truthy(v: SqlValue): boolean | null {
  if (v === null) return null;
  if (typeof v === 'boolean') return v;
  throw new Error(`Expected a boolean, got ${typeof v}`);
}

/** Returns PostgreSQL's stable sample bucket of a key: the first 32 bits of md5, sign bit cleared, mod 10,000. */
export function sampleBucket(key: SqlValue): number {
  const hex = createHash('md5')
    .update(key === null ? '' : sqlText(key), 'utf8')
    .digest('hex')
    .slice(0, 8);
  return (Number.parseInt(hex, 16) & 0x7fffffff) % 10000;
}

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

function shift(now: Date, amount: number, unit: string): Date {
  if (unit in UNIT_MS) return new Date(now.getTime() - amount * (UNIT_MS[unit] as number));
  const months = unit === 'month' ? amount : unit === 'quarter' ? amount * 3 : amount * 12;
  const d = new Date(now.getTime());
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/**
 * Evaluates a row expression over one row for one subject with SQL semantics: NULL propagates,
 * AND/OR/NOT are three-valued, `IN` lists return NULL when nothing matches and an item is NULL.
 */
export function evalRow(
  e: RowExpr,
  row: Row,
  s: Subject,
  ctx: EvaluationContext,
  dataSourceId: string,
): SqlValue {
  const ev = (x: RowExpr) => evalRow(x, row, s, ctx, dataSourceId);
  switch (e.kind) {
    case 'column': {
      if (!(e.name in row)) throw new Error(`The row has no column ${e.name}`);
      return row[e.name] ?? null;
    }
    case 'lookupColumn':
      return row[e.name] ?? null;
    case 'columnTagged':
    case 'columnReference':
      throw new Error('Unresolved column reference: plan the data source first');
    case 'literal':
      return e.value;
    case 'username':
      return s.principal;
    case 'subject':
      return conditionHolds(e.condition, s, dataSourceId);
    case 'inSubjectValues': {
      const v = ev(e.value);
      let values = subjectValues(e.source, s);
      if (values.size === 0 && e.placeholder !== undefined) values = new Set([e.placeholder]);
      // `x = ANY ('{}')` is FALSE even when x is NULL: an empty array has no element to be unknown about.
      if (values.size === 0) return false;
      if (v === null) return null;
      return values.has(sqlText(v));
    }
    case 'compare': {
      const a = ev(e.left);
      const b = ev(e.right);
      if (a === null || b === null) return null;
      const c = cmp(a, b);
      switch (e.op) {
        case '=':
          return c === 0;
        case '<>':
          return c !== 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '>=':
          return c >= 0;
      }
      throw new Error('Unknown operator');
    }
    case 'inList': {
      const v = ev(e.value);
      const result = sqlIn(
        v,
        (function* () {
          for (const item of e.items) yield ev(item);
        })(),
      );
      return e.negated ? not3(result) : result;
    }
    case 'isNull': {
      const isNull = ev(e.value) === null;
      return e.negated ? !isNull : isNull;
    }
    case 'like': {
      const v = ev(e.value);
      const p = ev(e.pattern);
      if (v === null || p === null) return null;
      const m = likeRegex(sqlText(p), e.caseInsensitive).test(sqlText(v));
      return e.negated ? !m : m;
    }
    case 'and': {
      let sawNull = false;
      for (const item of e.items) {
        const v = truthy(ev(item));
        if (v === false) return false;
        if (v === null) sawNull = true;
      }
      return sawNull ? null : true;
    }
    case 'or': {
      let sawNull = false;
      for (const item of e.items) {
        const v = truthy(ev(item));
        if (v === true) return true;
        if (v === null) sawNull = true;
      }
      return sawNull ? null : false;
    }
    case 'not':
      return not3(truthy(ev(e.item)));
    case 'arith': {
      const a = ev(e.left);
      const b = ev(e.right);
      if (a === null || b === null) return null;
      const x = toNumber(a);
      const y = toNumber(b);
      const ints =
        Number.isInteger(x) && Number.isInteger(y) && typeof a === 'number' && typeof b === 'number';
      switch (e.op) {
        case '+':
          return x + y;
        case '-':
          return x - y;
        case '*':
          return x * y;
        case '/':
          if (y === 0) throw new Error('division by zero');
          return ints ? Math.trunc(x / y) : x / y;
        case '%':
          if (y === 0) throw new Error('division by zero');
          return x % y;
      }
      throw new Error('Unknown operator');
    }
    case 'concat': {
      let out = '';
      for (const item of e.items) {
        const v = ev(item);
        if (v === null) return null;
        out += sqlText(v);
      }
      return out;
    }
    case 'call':
      return callFunction(
        e.fn,
        e.args.map((a) => ev(a)),
      );
    case 'cast': {
      const v = ev(e.value);
      if (v === null) return null;
      switch (e.type) {
        case 'text':
          return sqlText(v);
        case 'integer':
        case 'bigint':
          return Math.round(toNumber(v));
        case 'numeric':
          return toNumber(v);
        case 'boolean':
          return typeof v === 'boolean'
            ? v
            : ['t', 'true', 'yes', 'on', '1'].includes(sqlText(v).toLowerCase());
        case 'date':
        case 'timestamp':
          return v instanceof Date ? v : new Date(sqlText(v));
      }
      return assertNever(e.type);
    }
    case 'inLookup': {
      const rows = ctx.lookups?.get(`${e.schema}.${e.table}`);
      if (!rows) throw new Error(`No rows given for the lookup table ${e.schema}.${e.table}`);
      const v = ev(e.value);
      const matches = function* () {
        for (const r of rows) {
          if (e.filter && truthy(evalRow(e.filter, r, s, ctx, dataSourceId)) !== true) continue;
          yield r[e.column] ?? null;
        }
      };
      const result = sqlIn(v, matches());
      return e.negated ? not3(result) : result;
    }
    case 'sample':
      return sampleBucket(ev(e.key)) < Math.round(e.percent * 100);
    case 'timeWindow': {
      const v = ev(e.column);
      if (v === null) return null;
      const edge = shift(ctx.now ?? new Date(), e.amount, e.unit).getTime();
      const t = toNumber(v instanceof Date ? v : new Date(sqlText(v)));
      return e.direction === 'newer' ? t >= edge : t < edge;
    }
    default:
      return assertNever(e);
  }
}

function callFunction(fn: string, args: readonly SqlValue[]): SqlValue {
  const [a, b, c] = args;
  switch (fn) {
    case 'coalesce':
      return args.find((x) => x !== null) ?? null;
    case 'nullif':
      return a !== null && a !== undefined && b !== null && b !== undefined && cmp(a, b) === 0
        ? null
        : (a ?? null);
  }
  if (args.some((x) => x === null)) return null;
  const text = sqlText(a as Exclude<SqlValue, null>);
  const chars = [...text];
  switch (fn) {
    case 'lower':
      return text.toLowerCase();
    case 'upper':
      return text.toUpperCase();
    case 'length':
      return chars.length;
    case 'trim':
      return text.replace(/^ +| +$/g, '');
    case 'abs':
      return Math.abs(toNumber(a as Exclude<SqlValue, null>));
    case 'left': {
      const n = toNumber(b as Exclude<SqlValue, null>);
      return (n >= 0 ? chars.slice(0, n) : chars.slice(0, Math.max(0, chars.length + n))).join('');
    }
    case 'right': {
      const n = toNumber(b as Exclude<SqlValue, null>);
      return (n >= 0 ? chars.slice(Math.max(0, chars.length - n)) : chars.slice(-n)).join('');
    }
    case 'substr': {
      const start = toNumber(b as Exclude<SqlValue, null>);
      const from = Math.max(1, start);
      if (c === undefined) return chars.slice(from - 1).join('');
      const end = start + toNumber(c as Exclude<SqlValue, null>);
      return chars.slice(from - 1, Math.max(from - 1, end - 1)).join('');
    }
  }
  throw new Error(`Unknown function ${fn}`);
}

/** Converts a PostgreSQL regexp_replace replacement (`\1`, `\&`) to its JavaScript form. */
function jsReplacement(replacement: string): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const ch = replacement[i] as string;
    if (ch === '\\' && i + 1 < replacement.length) {
      const next = replacement[++i] as string;
      out += /[1-9]/.test(next) ? `$${next}` : next === '&' ? '$&' : next;
    } else out += ch === '$' ? '$$' : ch;
  }
  return out;
}

/** Returns the value a mask gives one cell. */
export function applyMask(
  mask: Mask,
  value: SqlValue,
  row: Row,
  s: Subject,
  ctx: EvaluationContext,
  dataSourceId: string,
): SqlValue {
  switch (mask.kind) {
    case 'null':
      return null;
    case 'constant':
      return mask.value;
    case 'hash':
      return value === null
        ? null
        : createHash('sha256')
            .update(ctx.salt + sqlText(value), 'utf8')
            .digest('hex');
    case 'regex':
      return value === null
        ? null
        : sqlText(value).replace(
            new RegExp(mask.pattern, mask.caseInsensitive ? 'gi' : 'g'),
            jsReplacement(mask.replacement),
          );
    case 'roundNumber': {
      if (value === null) return null;
      const n = toNumber(value);
      const b = mask.bucket;
      return Number.isInteger(n) && Number.isInteger(b) && typeof value === 'number'
        ? n - (((n % b) + b) % b)
        : Math.floor(n / b) * b;
    }
    case 'truncateTime': {
      if (value === null) return null;
      const d = value instanceof Date ? new Date(value.getTime()) : new Date(sqlText(value));
      const unit = mask.unit;
      if (unit === 'year') d.setUTCMonth(0, 1);
      if (unit === 'quarter') d.setUTCMonth(Math.floor(d.getUTCMonth() / 3) * 3, 1);
      if (unit === 'month') d.setUTCDate(1);
      if (unit !== 'minute' && unit !== 'hour') d.setUTCHours(0, 0, 0, 0);
      if (unit === 'hour') d.setUTCMinutes(0, 0, 0);
      if (unit === 'minute') d.setUTCSeconds(0, 0);
      return d;
    }
    case 'custom':
      return evalRow(mask.expression, row, s, ctx, dataSourceId);
    default:
      return assertNever(mask);
  }
}

/** Whether a mask leaves one cell of the row clear for the subject. */
function cellClear(m: ColumnMask, row: Row, s: Subject, ctx: EvaluationContext, id: string): boolean {
  if (conditionHolds(m.appliesWhen, s, id)) {
    return m.rowCondition !== undefined && truthy(evalRow(m.rowCondition, row, s, ctx, id)) === false;
  }
  return m.otherwise === undefined;
}

/** The value a masked column shows the subject in one row. */
export function maskedValue(
  m: ColumnMask,
  row: Row,
  s: Subject,
  ctx: EvaluationContext,
  id: string,
): SqlValue {
  const value = row[m.column] ?? null;
  if (conditionHolds(m.appliesWhen, s, id)) {
    if (m.rowCondition !== undefined && truthy(evalRow(m.rowCondition, row, s, ctx, id)) === false)
      return value;
    return applyMask(m.mask, value, row, s, ctx, id);
  }
  return m.otherwise ? applyMask(m.otherwise, value, row, s, ctx, id) : value;
}

/** True when the subject is subscribed to the plan's data source (always, without a subscription policy). */
export function isSubscribed(plan: AccessPlan, s: Subject): boolean {
  return plan.subscription === undefined || conditionHolds(plan.subscription.condition, s, plan.target.id);
}

/** True when every row filter lets the row through for the subject. */
export function passesFilters(plan: AccessPlan, row: Row, s: Subject, ctx: EvaluationContext): boolean {
  const id = plan.target.id;
  return plan.rowFilters.every(
    (f) => !conditionHolds(f.appliesWhen, s, id) || truthy(evalRow(f.predicate, row, s, ctx, id)) === true,
  );
}

/**
 * What a governed subject reads through the masked view of the data source: nothing unless
 * subscribed; otherwise the rows every filter lets through, with masks applied.
 */
export function readThroughView(
  plan: AccessPlan,
  s: Subject,
  rows: readonly Row[],
  ctx: EvaluationContext,
): Row[] {
  if (!isSubscribed(plan, s)) return [];
  const id = plan.target.id;
  return rows
    .filter((r) => passesFilters(plan, r, s, ctx))
    .map((r) => {
      const out: Record<string, SqlValue> = { ...r };
      for (const m of plan.masks) out[m.column] = maskedValue(m, r, s, ctx, id);
      return out;
    });
}

/**
 * What a subject reads from the base table itself. Ungoverned roles (no subject) read every row;
 * a governed subject reads, unmasked, only the rows they may see in which no cell is masked for them.
 */
export function readBaseTable(
  plan: AccessPlan,
  s: Subject | undefined,
  rows: readonly Row[],
  ctx: EvaluationContext,
): Row[] {
  if (s === undefined) return [...rows];
  if (!isSubscribed(plan, s)) return [];
  const id = plan.target.id;
  return rows.filter(
    (r) => passesFilters(plan, r, s, ctx) && plan.masks.every((m) => cellClear(m, r, s, ctx, id)),
  );
}
