import type { PlanColumn, PlanTarget } from '../src/policy/access-plan.ts';
import { and, type Condition, hasAttribute, inGroup, not, or } from '../src/policy/condition.ts';
import type { MaskSpec } from '../src/policy/mask.ts';
import type { Audience, Circumstance, DataRule, Policy, SubscriptionSpec } from '../src/policy/policy.ts';
import {
  andRows,
  column,
  compare,
  inSubjectValues,
  literal,
  orRows,
  type RowExpr,
  subjectFact,
} from '../src/policy/row-expr.ts';

/** A column tag of the synthetic catalogue, with the SQL type its columns get. */
interface TagKind {
  readonly tag: string;
  readonly type: string;
}

/** 42 hierarchical column tags (parents included), each with the type its columns have. */
const COLUMN_TAGS: readonly TagKind[] = [
  ['PII', 'text'],
  ['PII.Email', 'text'],
  ['PII.Phone', 'text'],
  ['PII.Name', 'text'],
  ['PII.Name.First', 'text'],
  ['PII.Name.Last', 'text'],
  ['PII.Address', 'text'],
  ['PII.Address.Street', 'text'],
  ['PII.Address.Postcode', 'character varying(10)'],
  ['PII.NationalId', 'text'],
  ['PII.BirthDate', 'date'],
  ['PII.CustomerId', 'integer'],
  ['PII.IpAddress', 'text'],
  ['Finance', 'numeric(12,2)'],
  ['Finance.Amount', 'numeric(12,2)'],
  ['Finance.Salary', 'numeric(12,2)'],
  ['Finance.Account', 'text'],
  ['Finance.Card.Number', 'text'],
  ['Location', 'text'],
  ['Location.Region', 'text'],
  ['Location.Country', 'text'],
  ['Location.City', 'text'],
  ['Location.Geo', 'double precision'],
  ['Health', 'text'],
  ['Health.Diagnosis', 'text'],
  ['Health.Medication', 'text'],
  ['Metric', 'integer'],
  ['Metric.Score', 'integer'],
  ['Metric.Count', 'bigint'],
  ['Time', 'timestamp with time zone'],
  ['Time.Event', 'timestamp with time zone'],
  ['Time.Created', 'timestamp without time zone'],
  ['Identifier', 'bigint'],
  ['Identifier.Internal', 'bigint'],
  ['Identifier.External', 'text'],
  ['Business.Department', 'text'],
  ['Business.Product', 'text'],
  ['Business.Channel', 'text'],
  ['Confidential.Internal', 'text'],
  ['Confidential.Restricted', 'text'],
  ['Text.Comment', 'text'],
  ['Security.Credential', 'text'],
].map(([tag, type]) => ({ tag: tag as string, type: type as string }));

/** 10 data source tags; with the column tags a pool of 52. */
const SOURCE_TAGS = [
  'Domain.Sales',
  'Domain.HR',
  'Domain.Finance',
  'Domain.Marketing',
  'Domain.Support',
  'Sensitivity.High',
  'Sensitivity.Medium',
  'Sensitivity.Low',
  'Residency.EU',
  'Residency.US',
];

const UNTAGGED_TYPES = ['text', 'integer', 'bigint', 'numeric(10,2)', 'boolean', 'date', 'timestamp'];
const GROUPS = ['Privacy', 'Finance', 'HR', 'Analysts', 'Admins', 'Auditors', 'Support', 'Marketing'];
const DEPARTMENTS = ['Sales', 'HR', 'Finance', 'Engineering', 'Support'];
const REGIONS = ['EU', 'US', 'APAC', 'LATAM'];

/** A small deterministic generator (mulberry32), so every run plans the same catalogue and policies. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const chance = (rng: Rng, p: number): boolean => rng() < p;

/**
 * Returns `count` synthetic data sources of `columns` columns each: about 60% of columns carry one or
 * two column tags (their type follows the first), and each data source carries one to three tags.
 */
export function syntheticTargets(count: number, columns: number, seed = 1): PlanTarget[] {
  const rng = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const cols: PlanColumn[] = Array.from({ length: columns }, (_, c) => {
      if (!chance(rng, 0.6)) return { name: `c${c}`, dataType: pick(rng, UNTAGGED_TYPES), tags: [] };
      const first = pick(rng, COLUMN_TAGS);
      const tags = chance(rng, 0.25) ? [first.tag, pick(rng, COLUMN_TAGS).tag] : [first.tag];
      const leaf = first.tag.split('.').at(-1)!.toLowerCase();
      return { name: `c${c}_${leaf}`, dataType: first.type, tags: [...new Set(tags)] };
    });
    const sourceTags = new Set(
      Array.from({ length: 1 + Math.floor(rng() * 3) }, () => pick(rng, SOURCE_TAGS)),
    );
    return {
      id: String(i + 1),
      connectionKey: 'bench',
      database: 'warehouse',
      schema: `s${i % 25}`,
      table: `t${i}`,
      tags: [...sourceTags],
      columns: cols,
    };
  });
}

function subjectCondition(rng: Rng): Condition {
  const group = inGroup(pick(rng, GROUPS));
  switch (Math.floor(rng() * 4)) {
    case 0:
      return group;
    case 1:
      return or(group, inGroup(pick(rng, GROUPS)));
    case 2:
      return or(group, hasAttribute('Clearance', 'High'));
    default:
      return and(hasAttribute('Department', pick(rng, DEPARTMENTS)), not(inGroup('Contractors')));
  }
}

function exceptAudience(rng: Rng): Audience {
  return { kind: 'except', condition: subjectCondition(rng) };
}

/** A mask suited to the columns a tag selects, as an author would pick it. */
function maskFor(rng: Rng, kind: TagKind): MaskSpec {
  if (kind.type.startsWith('numeric') || kind.type === 'double precision')
    return { kind: 'round', bucketSize: pick(rng, [10, 100, 1000]) };
  if (kind.type.startsWith('timestamp') || kind.type === 'date')
    return { kind: 'round', timePrecision: pick(rng, ['month', 'year'] as const) };
  if (kind.type === 'integer' || kind.type === 'bigint')
    return pick<MaskSpec>(rng, [{ kind: 'null' }, { kind: 'constant', value: '0' }]);
  return pick<MaskSpec>(rng, [
    { kind: 'hash' },
    { kind: 'hash' },
    { kind: 'null' },
    { kind: 'constant', value: 'REDACTED' },
    { kind: 'regex', pattern: '^(.).*$', replacement: '\\1***', caseInsensitive: false },
  ]);
}

function tagged(tag: string): RowExpr {
  return { kind: 'columnTagged', tag };
}

function maskingRule(rng: Rng): { rule: DataRule; circumstance: Circumstance } {
  const kind = pick(rng, COLUMN_TAGS);
  const fields = [{ kind: 'columnTag' as const, tag: kind.tag }];
  const mask = maskFor(rng, kind);
  const conditional = chance(rng, 0.15)
    ? { conditionalPredicate: compare('=', tagged('Location.Region'), literal(pick(rng, REGIONS))) }
    : {};
  const rule: DataRule = chance(rng, 0.2)
    ? {
        kind: 'masking',
        audience: { kind: 'who', condition: subjectCondition(rng) },
        fields,
        mask,
        otherwise: { kind: 'null' },
        ...conditional,
      }
    : { kind: 'masking', audience: exceptAudience(rng), fields, mask, ...conditional };
  return { rule, circumstance: { kind: 'columnTags', tag: kind.tag } };
}

function entitlementFilter(rng: Rng): { rule: DataRule; circumstance: Circumstance } {
  const [tag, match] = pick(rng, [
    ['Location.Region', { kind: 'attribute', key: 'Region' }],
    ['Location.Country', { kind: 'attribute', key: 'Country' }],
    ['Business.Department', { kind: 'attribute', key: 'Department' }],
    ['Business.Channel', { kind: 'groups' }],
  ] as const);
  return {
    rule: {
      kind: 'rowByEntitlement',
      audience: chance(rng, 0.5) ? { kind: 'everyone' } : exceptAudience(rng),
      field: { kind: 'columnTag', tag },
      match,
    },
    circumstance: { kind: 'columnTags', tag },
  };
}

/** Custom WHERE rules as the parser would build them, here with the IR factories. */
function customWhere(rng: Rng): DataRule {
  const where = pick<RowExpr>(rng, [
    orRows(subjectFact(inGroup('Auditors')), compare('<', tagged('Finance.Amount'), literal(10_000))),
    andRows(inSubjectValues(tagged('Location.Country'), { kind: 'attribute', key: 'Country' }, 'NONE'), {
      kind: 'isNull',
      value: tagged('Health.Diagnosis'),
      negated: true,
    }),
    orRows(
      compare('=', tagged('Business.Department'), literal(pick(rng, DEPARTMENTS))),
      subjectFact(hasAttribute('Clearance', 'High')),
    ),
    {
      kind: 'like',
      value: tagged('PII.Email'),
      pattern: literal('%@example.com'),
      caseInsensitive: true,
      negated: true,
    },
    compare('>=', column('c0'), literal(0)),
  ]);
  return { kind: 'customWhere', audience: exceptAudience(rng), where };
}

function subscriptionSpec(rng: Rng): SubscriptionSpec {
  const roll = rng();
  const access: SubscriptionSpec['access'] =
    roll < 0.7
      ? { kind: 'entitlements', condition: subjectCondition(rng) }
      : roll < 0.85
        ? { kind: 'approval', approvals: [{ requiredPermission: 'OWNER', specificApproverRequired: false }] }
        : { kind: 'anyone' };
  return {
    access,
    role: access.kind === 'entitlements' && chance(rng, 0.25) ? 'guardrail' : 'grant',
    shareResponsibility: chance(rng, 0.5),
    allowDiscovery: false,
  };
}

function otherRule(rng: Rng): DataRule {
  switch (Math.floor(rng() * 3)) {
    case 0:
      return {
        kind: 'time',
        audience: exceptAudience(rng),
        field: { kind: 'columnTag', tag: 'Time.Event' },
        direction: 'newer',
        amount: 90,
        unit: 'day',
      };
    case 1:
      return { kind: 'minimization', audience: exceptAudience(rng), percent: 10 };
    default:
      return { kind: 'purposeRestriction', audience: { kind: 'everyone' }, purposes: ['Fraud', 'Audit'] };
  }
}

/**
 * Returns `count` global policies in authoring order, a mix like a large tenant's: 30% masking by
 * column tag with exceptions (some conditional, some `who` with an otherwise mask), 20% row filters
 * by entitlement on a tagged column, 15% custom WHERE rules, 15% subscription policies by data
 * source tag with entitlement conditions, 5% time, minimization and purpose rules, and 15% more
 * masking or entitlement filters. 15% of all are staged (so planning must skip them).
 */
export function syntheticPolicies(count: number, seed = 2): Policy[] {
  const rng = random(seed);
  return Array.from({ length: count }, (_, i): Policy => {
    const slot = i % 20;
    const base = {
      id: i + 1,
      policyKey: `bench-${i + 1}`,
      name: `Bench policy ${i + 1}`,
      scope: 'global' as const,
      // Three slots in twenty (15%) are staged drafts: a masking, a custom WHERE and a subscription policy.
      staged: slot === 4 || slot === 11 || slot === 14,
      circumstanceOperator: 'any' as const,
    };
    const sourceTag: Circumstance = { kind: 'tags', tag: pick(rng, SOURCE_TAGS) };
    if (slot < 6) {
      const { rule, circumstance } = maskingRule(rng);
      return { ...base, type: 'data', circumstances: [circumstance], rules: [rule] };
    }
    if (slot < 10) {
      const { rule, circumstance } = entitlementFilter(rng);
      const both = chance(rng, 0.3);
      return {
        ...base,
        type: 'data',
        circumstances: both ? [circumstance, sourceTag] : [circumstance],
        circumstanceOperator: both ? 'all' : 'any',
        rules: [rule],
      };
    }
    if (slot < 13) return { ...base, type: 'data', circumstances: [sourceTag], rules: [customWhere(rng)] };
    if (slot < 16)
      return {
        ...base,
        type: 'subscription',
        circumstances: [sourceTag],
        subscription: subscriptionSpec(rng),
        rules: [],
      };
    if (slot < 17) return { ...base, type: 'data', circumstances: [sourceTag], rules: [otherRule(rng)] };
    const { rule, circumstance } = chance(rng, 0.5) ? maskingRule(rng) : entitlementFilter(rng);
    return { ...base, type: 'data', circumstances: [circumstance], rules: [rule] };
  });
}
