/**
 * The error catalogue: every error Steward returns has a stable, area-prefixed code listed here,
 * with its HTTP status and a safe public title. `docs/errors.md` is checked against this list by a test.
 */
export const ERROR_CATALOG = {
  // Requests
  REQUEST_INVALID: { status: 400, title: 'The request is invalid' },
  REQUEST_MALFORMED: { status: 400, title: 'The request body could not be parsed' },
  REQUEST_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  REQUEST_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The request body has an unsupported media type' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  // Authentication and authorization
  AUTH_REQUIRED: { status: 401, title: 'Authentication is required' },
  AUTH_INVALID_KEY: { status: 401, title: 'The API key is invalid, expired or revoked' },
  AUTH_FORBIDDEN: { status: 403, title: 'The API key lacks the permission this operation needs' },
  // Users and API keys
  USER_NOT_FOUND: { status: 404, title: 'No such user' },
  USER_TAKEN: { status: 409, title: 'A user with this username already exists' },
  APIKEY_NOT_FOUND: { status: 404, title: 'No such API key' },
  GROUP_NOT_FOUND: { status: 404, title: 'No such group' },
  GROUP_TAKEN: { status: 409, title: 'A group with this name already exists' },
  USER_VERSION_CONFLICT: { status: 412, title: 'The resource changed since the version given in If-Match' },
  USER_SELF_CHANGE: { status: 409, title: 'You cannot delete or disable your own user' },
  USER_ATTRIBUTE_NOT_FOUND: { status: 404, title: 'The user has no such attribute value' },
  USER_PRINCIPAL_TAKEN: {
    status: 409,
    title: 'Another user already maps to this principal on the connection',
  },
  USER_FILTER_INVALID: { status: 400, title: 'The SCIM filter is invalid' },
  USER_PATCH_PATH_INVALID: { status: 400, title: 'The SCIM PATCH path is invalid' },
  USER_PATCH_NO_TARGET: { status: 400, title: 'The SCIM PATCH path matches no value' },
  USER_ATTRIBUTE_READ_ONLY: { status: 400, title: 'The SCIM attribute cannot be changed' },
  // Tags, data sources and domains
  TAG_NOT_FOUND: { status: 404, title: 'No such tag' },
  TAG_TAKEN: { status: 409, title: 'A tag with this name already exists' },
  TAG_IN_USE: { status: 409, title: 'The tag is in use' },
  DATASOURCE_NOT_FOUND: { status: 404, title: 'No such data source' },
  DATASOURCE_COLUMN_NOT_FOUND: { status: 404, title: 'No such column in this data source' },
  DATASOURCE_MEMBER_NOT_FOUND: { status: 404, title: 'No such member of this data source' },
  DOMAIN_NOT_FOUND: { status: 404, title: 'No such domain' },
  DOMAIN_TAKEN: { status: 409, title: 'A domain with this name already exists' },
  // Sensitive data discovery
  SDD_CLASSIFIER_NOT_FOUND: { status: 404, title: 'No such identifier' },
  SDD_CLASSIFIER_TAKEN: { status: 409, title: 'An identifier with this name or display name already exists' },
  SDD_CLASSIFIER_IN_USE: { status: 409, title: 'The identifier is part of a framework' },
  SDD_CLASSIFIER_UNKNOWN: { status: 400, title: 'The framework names an identifier that does not exist' },
  SDD_PATTERN_INVALID: {
    status: 400,
    title: 'The pattern is outside the portable, linear-time regular expression subset',
  },
  SDD_BUILTIN_READ_ONLY: {
    status: 400,
    title: 'Built-in identifiers and the built-in framework cannot be changed',
  },
  SDD_TEMPLATE_NOT_FOUND: { status: 404, title: 'No such framework' },
  SDD_TEMPLATE_TAKEN: { status: 409, title: 'A framework with this name or display name already exists' },
  SDD_TEMPLATE_IN_USE: {
    status: 409,
    title: 'The framework is global or assigned to data sources or domains',
  },
  // Policies, purposes and access requests
  POLICY_INVALID: { status: 400, title: 'The policy document is invalid' },
  POLICY_WHERE_INVALID: { status: 400, title: 'The custom WHERE clause or expression is not allowed' },
  POLICY_NOT_FOUND: { status: 404, title: 'No such policy' },
  POLICY_SCOPE_MISMATCH: { status: 409, title: 'The policy exists with another scope or data source' },
  PURPOSE_NOT_FOUND: { status: 404, title: 'No such purpose' },
  PURPOSE_TAKEN: { status: 409, title: 'A purpose with this name already exists' },
  ACCESS_REQUEST_NOT_FOUND: { status: 404, title: 'No such access request' },
  ACCESS_REQUEST_DECIDED: { status: 409, title: 'The access request was already decided' },
  ACCESS_NOT_REQUESTABLE: { status: 409, title: 'Access to this data source cannot be requested' },
  QUERY_FAILED: { status: 400, title: 'The query failed in the warehouse' },
  QUERY_UNAVAILABLE: { status: 409, title: 'Queries can only be run in the embedded demo warehouse' },
  // Jobs
  JOB_NOT_FOUND: { status: 404, title: 'No such job' },
  JOB_TYPE_UNKNOWN: { status: 400, title: 'No handler is registered for this job type' },
  // Connections, integrations and data objects
  CONN_KEY_TAKEN: { status: 409, title: 'A connection with this key already exists' },
  CONN_NOT_FOUND: { status: 404, title: 'No such connection' },
  CONN_VALIDATION_FAILED: { status: 422, title: 'The connection failed its validation tests' },
  INTEGRATION_NOT_FOUND: { status: 404, title: 'No such integration' },
  TECHNOLOGY_UNSUPPORTED: { status: 400, title: 'This technology is not supported' },
  OBJECT_NOT_FOUND: { status: 404, title: 'No such data object' },
  OBJECT_CASCADE_TOO_LARGE: { status: 422, title: 'The change would cascade to more than 100,000 objects' },
  // Data platforms (upstream failures)
  PLATFORM_UNREACHABLE: { status: 502, title: 'The data platform could not be reached' },
  PLATFORM_AUTH_FAILED: { status: 502, title: 'The data platform refused the credentials' },
  PLATFORM_FORBIDDEN: { status: 502, title: 'The data platform denied the operation' },
  PLATFORM_THROTTLED: { status: 503, title: 'The data platform is throttling requests' },
  PLATFORM_ERROR: { status: 502, title: 'The data platform returned an error' },
  // Audit
  AUDIT_UNAVAILABLE: { status: 503, title: 'The audit log could not be written, so the change was not made' },
  // Secrets
  SECRET_KEY_MISMATCH: { status: 500, title: 'The secret key does not match the stored secrets' },
  SECRET_UNREADABLE: { status: 500, title: 'A stored secret could not be decrypted' },
  // Store and service state
  STORE_UNAVAILABLE: { status: 503, title: 'The metadata store is unavailable' },
  SERVICE_NOT_READY: { status: 503, title: 'The service is not ready' },
  INTERNAL: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

/** A stable error code from the catalogue. */
export type ErrorCode = keyof typeof ERROR_CATALOG;

/** The base URI of problem types; each code's type is this URI plus the code in kebab case. */
export const PROBLEM_TYPE_BASE = 'https://steward.dev/problems/';

/** Returns the RFC 9457 `type` URI for an error code. */
export function problemType(code: ErrorCode): string {
  return PROBLEM_TYPE_BASE + code.toLowerCase().replaceAll('_', '-');
}
