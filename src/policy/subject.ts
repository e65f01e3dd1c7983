/**
 * What Steward knows about the person running a query, as the entitlement tables hold it for their
 * platform principal: the facts every condition and row predicate is evaluated against.
 */
export interface Subject {
  /** The platform user name (`current_user` on PostgreSQL). */
  readonly principal: string;
  readonly groups: ReadonlySet<string>;
  /** Attribute values by attribute key. */
  readonly attributes: ReadonlyMap<string, ReadonlySet<string>>;
  readonly purposes: ReadonlySet<string>;
  /** Data source ids the person is explicitly subscribed to. */
  readonly subscriptions: ReadonlySet<string>;
}

/** Builds a subject from plain lists (tests, explain). */
export function subject(input: {
  readonly principal: string;
  readonly groups?: readonly string[];
  readonly attributes?: Readonly<Record<string, readonly string[]>>;
  readonly purposes?: readonly string[];
  readonly subscriptions?: readonly string[];
}): Subject {
  return {
    principal: input.principal,
    groups: new Set(input.groups ?? []),
    attributes: new Map(Object.entries(input.attributes ?? {}).map(([k, v]) => [k, new Set(v)])),
    purposes: new Set(input.purposes ?? []),
    subscriptions: new Set(input.subscriptions ?? []),
  };
}
