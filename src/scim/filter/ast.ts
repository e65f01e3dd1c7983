/** A comparison operator of the SCIM filter language (RFC 7644 §3.4.2.2). */
export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** Every comparison operator. */
export const COMPARE_OPS: readonly CompareOp[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];

/** A literal of the filter language. */
export type FilterValue = string | number | boolean | null;

/**
 * An attribute path as written: an optional schema URN, an attribute name, and an optional
 * sub-attribute (`urn:...:User:name.givenName`, `emails.value`). Names keep the client's letter case;
 * resolving them is case-insensitive.
 */
export interface AttrPath {
  readonly uri?: string;
  readonly name: string;
  readonly sub?: string;
}

/**
 * A filter expression. `compare` and `present` may carry an `elementFilter`, for a value path followed
 * by a sub-attribute (`emails[type eq "work"].value eq "x"`); `valuePath` is a value path on its own
 * (`emails[type eq "work"]`), true when some element matches.
 */
export type FilterNode =
  | {
      readonly kind: 'compare';
      readonly attr: AttrPath;
      readonly op: CompareOp;
      readonly value: FilterValue;
      readonly elementFilter?: FilterNode;
    }
  | { readonly kind: 'present'; readonly attr: AttrPath; readonly elementFilter?: FilterNode }
  | { readonly kind: 'valuePath'; readonly attr: AttrPath; readonly filter: FilterNode }
  | { readonly kind: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: 'not'; readonly operand: FilterNode };

/** A PATCH target path (RFC 7644 §3.5.2): an attribute, an optional value filter and sub-attribute. */
export interface PatchPath {
  readonly attr: AttrPath;
  readonly filter?: FilterNode;
  /** The sub-attribute after a value filter (`emails[type eq "work"].value`). */
  readonly subAfterFilter?: string;
}

/** Fails the build when a switch over node kinds misses one. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected filter node ${JSON.stringify(value)}`);
}

/** Returns the text of an attribute path as written (`name.givenName`). */
export function pathText(attr: AttrPath): string {
  return `${attr.uri ? `${attr.uri}:` : ''}${attr.name}${attr.sub ? `.${attr.sub}` : ''}`;
}
