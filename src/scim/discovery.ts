import type { ScimAttribute } from './attribute-model.ts';
import {
  COMMON_ATTRIBUTES,
  ENTERPRISE_USER,
  GROUP,
  SCHEMAS,
  type ScimSchema,
  USER,
} from './resource-schemas.ts';
import {
  LIST_RESPONSE_SCHEMA,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
} from './urns.ts';

/** Largest page a list request returns (`count` above it is lowered to it). */
export const MAX_RESULTS = 1000;

/** Page size when a list request gives no `count`. */
export const DEFAULT_COUNT = 100;

/** The service provider configuration (RFC 7643 §5): what Steward's SCIM endpoint supports. */
export function serviceProviderConfig(baseUrl: string, docsUrl: string) {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    documentationUri: docsUrl,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Steward API key',
        description:
          'A Steward API key of a user holding USER_ADMIN, sent as "Authorization: Bearer <key>" (Okta and Entra call it the secret token).',
        primary: true,
      },
    ],
    meta: {
      resourceType: 'ServiceProviderConfig',
      location: `${baseUrl}/ServiceProviderConfig`,
    },
  };
}

/** The resource types Steward serves (RFC 7643 §6), by name. */
export function resourceTypes(baseUrl: string) {
  const type = (id: 'User' | 'Group', schema: ScimSchema, extensions: readonly ScimSchema[]) => ({
    schemas: [RESOURCE_TYPE_SCHEMA],
    id,
    name: id,
    endpoint: `/${id}s`,
    description: id === 'User' ? 'Steward users' : 'Steward groups',
    schema: schema.id,
    schemaExtensions: extensions.map((e) => ({ schema: e.id, required: false })),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${id}` },
  });
  return [type('User', USER, [ENTERPRISE_USER]), type('Group', GROUP, [])];
}

function describe(a: ScimAttribute): Record<string, unknown> {
  return {
    ...a,
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map(describe) } : {}),
  };
}

/** The schemas Steward serves (RFC 7643 §7), with every attribute. */
export function schemaDocuments(baseUrl: string) {
  return SCHEMAS.map((s) => ({
    schemas: [SCHEMA_SCHEMA],
    id: s.id,
    name: s.name,
    description: s.description,
    attributes: [
      ...(s === ENTERPRISE_USER ? [] : COMMON_ATTRIBUTES.filter((a) => a.name === 'externalId')),
      ...s.attributes,
    ].map(describe),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${s.id}` },
  }));
}

/** Wraps resources in a SCIM list response. */
export function listResponse<T>(resources: readonly T[], totalResults: number, startIndex: number) {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: [...resources],
  };
}
