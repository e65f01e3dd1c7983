/** The data type of a SCIM attribute (RFC 7643 §2.3). */
export type ScimType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex';

/** One attribute of a SCIM schema, as `/Schemas` describes it (RFC 7643 §7). */
export interface ScimAttribute {
  readonly name: string;
  readonly type: ScimType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  readonly returned: 'always' | 'never' | 'default' | 'request';
  readonly uniqueness: 'none' | 'server' | 'global';
  readonly subAttributes?: readonly ScimAttribute[];
  readonly referenceTypes?: readonly string[];
  readonly canonicalValues?: readonly string[];
}

type Options = Partial<Omit<ScimAttribute, 'name' | 'type' | 'description'>>;

/** Builds an attribute with RFC 7643's defaults (single-valued, optional, readWrite, returned by default). */
export function attribute(
  name: string,
  type: ScimType,
  description: string,
  options: Options = {},
): ScimAttribute {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  };
}

/** Builds a multi-valued complex attribute with the usual value/display/type/primary sub-attributes. */
export function multiValued(
  name: string,
  description: string,
  valueType: ScimType,
  types: readonly string[],
  extra: readonly ScimAttribute[] = [],
): ScimAttribute {
  return attribute(name, 'complex', description, {
    multiValued: true,
    subAttributes: [
      attribute('value', valueType, `The value of the ${name} entry.`),
      attribute('display', 'string', 'A human-readable name, primarily used for display purposes.'),
      attribute('type', 'string', 'A label indicating the function of the entry.', {
        canonicalValues: types,
      }),
      attribute('primary', 'boolean', 'Whether this is the primary entry; at most one is.'),
      ...extra,
    ],
  });
}

/** Finds an attribute by name, case-insensitively, as SCIM attribute names are (RFC 7643 §2.1). */
export function findAttribute(
  attributes: readonly ScimAttribute[] | undefined,
  name: string,
): ScimAttribute | undefined {
  const lower = name.toLowerCase();
  return attributes?.find((a) => a.name.toLowerCase() === lower);
}
