import type { Condition } from './condition.ts';
import type { MaskSpec } from './mask.ts';
import type { RowExpr, TimeUnit } from './row-expr.ts';

/**
 * A policy as the planner sees it: a validated, normalized document (YAML or JSON, after the
 * reference V2 policy API) with its identity. Immutable; built by `normalizePolicy`.
 */
export interface Policy {
  readonly id: number;
  readonly policyKey: string;
  readonly name: string;
  readonly type: 'subscription' | 'data';
  /** Global policies select data sources by circumstances; local ones name one data source. */
  readonly scope: 'global' | 'local';
  /** The data source of a local policy. */
  readonly dataSourceId?: string;
  readonly staged: boolean;
  readonly circumstances: readonly Circumstance[];
  readonly circumstanceOperator: 'any' | 'all';
  /** Present on subscription policies. */
  readonly subscription?: SubscriptionSpec;
  /** Present (possibly empty) on data policies. */
  readonly rules: readonly DataRule[];
}

/** Where a global policy applies. No circumstance means every data source. */
export type Circumstance =
  | { readonly kind: 'tags'; readonly tag: string }
  | { readonly kind: 'columnTags'; readonly tag: string }
  | { readonly kind: 'columnRegex'; readonly regex: string; readonly caseInsensitive: boolean }
  | { readonly kind: 'connection'; readonly connectionKey: string };

/** Who a subscription policy lets read a data source. */
export interface SubscriptionSpec {
  readonly access:
    | { readonly kind: 'anyone' }
    | { readonly kind: 'entitlements'; readonly condition: Condition }
    /** Individually selected users: the data source's explicit subscribers. */
    | { readonly kind: 'manual' }
    /** Anyone who asks and is approved. */
    | { readonly kind: 'approval'; readonly approvals: readonly Approval[] };
  /** A grant subscribes people; a guardrail is a floor every subscriber must also meet. */
  readonly role: 'grant' | 'guardrail';
  /** With other grants on one data source: `true` ORs ("share responsibility"), `false` ANDs ("always required"). */
  readonly shareResponsibility: boolean;
  readonly allowDiscovery: boolean;
}

/** Who may approve an access request. */
export interface Approval {
  readonly requiredPermission: 'OWNER' | 'GOVERNANCE' | 'USER_ADMIN' | 'AUDIT';
  readonly specificApproverRequired: boolean;
}

/**
 * Whom a data rule applies to: everyone, everyone except those meeting a condition, or only those who
 * meet it (with an optional otherwise mask for the rest, on masking rules).
 */
export type Audience =
  | { readonly kind: 'everyone' }
  | { readonly kind: 'except'; readonly condition: Condition }
  | { readonly kind: 'who'; readonly condition: Condition };

/** Chooses the columns a rule targets. */
export type FieldSelector =
  | { readonly kind: 'columnTag'; readonly tag: string }
  | { readonly kind: 'columnName'; readonly name: string }
  | { readonly kind: 'columnRegex'; readonly regex: string; readonly caseInsensitive: boolean }
  | { readonly kind: 'anyTag' }
  | { readonly kind: 'noTags' };

/** One rule of a data policy. */
export type DataRule =
  | {
      readonly kind: 'masking';
      readonly audience: Audience;
      readonly fields: readonly FieldSelector[];
      readonly mask: MaskSpec;
      /** Cell-level masking: mask only rows where this holds (parsed custom WHERE). */
      readonly conditionalPredicate?: RowExpr;
      /** With `audience.kind === 'who'`: the mask everyone else gets. */
      readonly otherwise?: MaskSpec;
    }
  | {
      /** Only rows whose column (chosen by `field`) is one of the subject's attribute values or groups. */
      readonly kind: 'rowByEntitlement';
      readonly audience: Audience;
      readonly field: FieldSelector;
      readonly match: { readonly kind: 'attribute'; readonly key: string } | { readonly kind: 'groups' };
    }
  | { readonly kind: 'customWhere'; readonly audience: Audience; readonly where: RowExpr }
  | {
      readonly kind: 'time';
      readonly audience: Audience;
      readonly field: FieldSelector;
      readonly direction: 'newer' | 'older';
      readonly amount: number;
      readonly unit: TimeUnit;
    }
  | {
      readonly kind: 'minimization';
      readonly audience: Audience;
      readonly percent: number;
      /** The column whose hash picks the rows; the first column when absent. */
      readonly field?: FieldSelector;
    }
  | {
      /** Only subjects acting under one of the purposes see rows (`ANY` for any purpose). */
      readonly kind: 'purposeRestriction';
      readonly audience: Audience;
      readonly purposes: readonly string[];
    };
