import { attribute, multiValued, type ScimAttribute } from './attribute-model.ts';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './urns.ts';

/** A SCIM schema: its URN, name, and attributes. */
export interface ScimSchema {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly ScimAttribute[];
}

const s = (name: string, description: string, options = {}) =>
  attribute(name, 'string', description, options);

/** The core User schema (RFC 7643 §4.1). */
export const USER: ScimSchema = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'A Steward user',
  attributes: [
    s('userName', 'Unique identifier for the user, case-insensitive; the Steward username.', {
      required: true,
      uniqueness: 'server',
    }),
    attribute('name', 'complex', "The components of the user's real name.", {
      subAttributes: [
        s('formatted', 'The full name, formatted for display.'),
        s('familyName', 'The family name, or last name.'),
        s('givenName', 'The given name, or first name.'),
        s('middleName', 'The middle name(s).'),
        s('honorificPrefix', 'The honorific prefix(es), or title (Ms.).'),
        s('honorificSuffix', 'The honorific suffix(es) (III).'),
      ],
    }),
    s('displayName', 'The name of the user, suitable for display; the Steward name.'),
    s('nickName', 'The casual way to address the user.'),
    attribute('profileUrl', 'reference', "A URL of the user's online profile.", {
      referenceTypes: ['external'],
    }),
    s('title', "The user's title, such as Vice President."),
    s('userType', 'The relationship between the organization and the user (Employee, Contractor...).'),
    s('preferredLanguage', "The user's preferred written or spoken language (en-US)."),
    s('locale', "The user's default location for localizing (en-US)."),
    s('timezone', "The user's time zone in IANA format (America/Los_Angeles)."),
    attribute('active', 'boolean', 'Whether the user may use Steward; false disables the user.'),
    s('password', 'Accepted and ignored: Steward never stores passwords.', {
      mutability: 'writeOnly',
      returned: 'never',
    }),
    multiValued(
      'emails',
      'Email addresses; the primary (else work, else first) is the Steward email.',
      'string',
      ['work', 'home', 'other'],
    ),
    multiValued('phoneNumbers', 'Phone numbers.', 'string', [
      'work',
      'home',
      'mobile',
      'fax',
      'pager',
      'other',
    ]),
    multiValued('ims', 'Instant messaging addresses.', 'string', [
      'aim',
      'gtalk',
      'icq',
      'xmpp',
      'msn',
      'skype',
    ]),
    multiValued('photos', 'URLs of photos of the user.', 'reference', ['photo', 'thumbnail']),
    attribute('addresses', 'complex', 'Physical mailing addresses.', {
      multiValued: true,
      subAttributes: [
        s('formatted', 'The full mailing address, formatted for display.'),
        s('streetAddress', 'The full street address.'),
        s('locality', 'The city or locality.'),
        s('region', 'The state or region.'),
        s('postalCode', 'The zip code or postal code.'),
        s('country', 'The country name component.'),
        s('type', 'A label indicating the function of the address.', {
          canonicalValues: ['work', 'home', 'other'],
        }),
        attribute('primary', 'boolean', 'Whether this is the primary address.'),
      ],
    }),
    attribute('groups', 'complex', 'The groups the user belongs to; change them through Group resources.', {
      multiValued: true,
      mutability: 'readOnly',
      subAttributes: [
        s('value', 'The id of the group.', { mutability: 'readOnly' }),
        attribute('$ref', 'reference', 'The URI of the group.', {
          mutability: 'readOnly',
          referenceTypes: ['Group'],
        }),
        s('display', 'The name of the group.', { mutability: 'readOnly' }),
        s('type', 'direct: Steward has no nested groups.', {
          mutability: 'readOnly',
          canonicalValues: ['direct'],
        }),
      ],
    }),
    multiValued('entitlements', 'Entitlements of the user, kept as given.', 'string', []),
    multiValued('roles', 'Roles of the user, kept as given.', 'string', []),
    multiValued('x509Certificates', 'Certificates of the user, kept as given.', 'string', []),
  ],
};

/** The enterprise User extension (RFC 7643 §4.3). */
export const ENTERPRISE_USER: ScimSchema = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise user',
  attributes: [
    s('employeeNumber', 'A string identifier, typically numeric or alphanumeric, assigned to the person.'),
    s('costCenter', 'The name of a cost center.'),
    s('organization', 'The name of an organization.'),
    s('division', 'The name of a division.'),
    s('department', 'The name of a department.'),
    attribute('manager', 'complex', "The user's manager.", {
      subAttributes: [
        s('value', 'The id of the SCIM resource representing the manager.'),
        attribute('$ref', 'reference', 'The URI of the manager.', { referenceTypes: ['User'] }),
        s('displayName', 'The display name of the manager.', { mutability: 'readOnly' }),
      ],
    }),
  ],
};

/** The core Group schema (RFC 7643 §4.2). */
export const GROUP: ScimSchema = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'A Steward group',
  attributes: [
    s(
      'displayName',
      'A human-readable name for the group; the Steward group name, unique case-insensitively.',
      {
        required: true,
        uniqueness: 'server',
      },
    ),
    attribute('members', 'complex', 'The members of the group (users only: Steward has no nested groups).', {
      multiValued: true,
      subAttributes: [
        s('value', 'The id of the member.', { mutability: 'immutable', caseExact: true }),
        attribute('$ref', 'reference', 'The URI of the member.', {
          mutability: 'immutable',
          referenceTypes: ['User'],
        }),
        s('display', 'The userName of the member.', { mutability: 'readOnly' }),
        s('type', 'The type of the member: User.', { mutability: 'immutable', canonicalValues: ['User'] }),
      ],
    }),
  ],
};

/** The attributes every resource has (RFC 7643 §3.1), outside any schema. */
export const COMMON_ATTRIBUTES: readonly ScimAttribute[] = [
  s('id', 'The identifier of the resource, issued by Steward.', {
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
    caseExact: true,
  }),
  s('externalId', "The identity provider's identifier of the resource.", { caseExact: true }),
  attribute('meta', 'complex', 'Resource metadata.', {
    mutability: 'readOnly',
    subAttributes: [
      s('resourceType', 'The resource type.', { mutability: 'readOnly', caseExact: true }),
      attribute('created', 'dateTime', 'When the resource was added.', { mutability: 'readOnly' }),
      attribute('lastModified', 'dateTime', 'When the resource was last changed.', {
        mutability: 'readOnly',
      }),
      attribute('location', 'reference', 'The URI of the resource.', {
        mutability: 'readOnly',
        caseExact: true,
      }),
      s('version', 'The version (weak ETag) of the resource.', { mutability: 'readOnly', caseExact: true }),
    ],
  }),
];

/** Every schema Steward serves, as `/Schemas` lists them. */
export const SCHEMAS: readonly ScimSchema[] = [USER, ENTERPRISE_USER, GROUP];
