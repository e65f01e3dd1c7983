import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DEFAULT_COUNT, MAX_RESULTS } from '../../scim/discovery.ts';
import { MAX_FILTER_LENGTH } from '../../scim/filter/parse.ts';
import { attributeList, type Projection } from '../../scim/projection.ts';
import { ERROR_SCHEMA } from '../../scim/urns.ts';

/** Where SCIM is served. */
export const SCIM_PREFIX = '/scim/v2';

/** A SCIM error response (RFC 7644 §3.12). */
export const scimErrorSchema = z
  .looseObject({
    schemas: z.array(z.literal(ERROR_SCHEMA)),
    status: z.string(),
    scimType: z.string().optional(),
    detail: z.string(),
    code: z.string().describe("Steward's error code (see the error catalogue)."),
    requestId: z.string(),
  })
  .meta({ id: 'ScimError', description: 'A SCIM error, sent as application/scim+json.' });

/** A SCIM resource (User, Group, or a discovery document), with attributes beyond those named here. */
export const scimResourceSchema = z
  .looseObject({})
  .meta({ id: 'ScimResource', description: 'A SCIM resource, sent as application/scim+json.' });

/** A SCIM list response. */
export const scimListSchema = z
  .looseObject({
    schemas: z.array(z.string()),
    totalResults: z.number().int(),
    startIndex: z.number().int(),
    itemsPerPage: z.number().int(),
    Resources: z.array(scimResourceSchema),
  })
  .meta({ id: 'ScimListResponse' });

/** Error responses of every SCIM route, documented as SCIM errors rather than problem documents. */
export const scimErrors = Object.fromEntries(
  [400, 401, 403, 404, 409, 412, 413, 415, 500, 503].map((status) => [status, scimErrorSchema]),
) as Record<400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 500 | 503, typeof scimErrorSchema>;

/** The `id` path parameter: any text, since an id Steward never issued is a 404, not a 400. */
export const scimIdParams = z.object({ id: z.string().max(64) });

/** The `attributes` and `excludedAttributes` query parameters (RFC 7644 §3.9). */
export const projectionQuery = {
  attributes: z.string().max(4000).optional().describe('Return only these attributes (comma-separated).'),
  excludedAttributes: z
    .string()
    .max(4000)
    .optional()
    .describe('Return all but these attributes (comma-separated).'),
};

/** The query parameters of a list request (RFC 7644 §3.4.2). */
export const listQuerySchema = z.object({
  filter: z
    .string()
    .optional()
    .describe(`A SCIM filter, such as userName eq "alice" (at most ${MAX_FILTER_LENGTH} characters).`),
  startIndex: z.coerce.number().int().optional().describe('1-based index of the first result (default 1).'),
  count: z.coerce
    .number()
    .int()
    .optional()
    .describe(
      `Results per page (default ${DEFAULT_COUNT}, at most ${MAX_RESULTS}; 0 returns only totalResults).`,
    ),
  sortBy: z.string().max(200).optional().describe('Not supported; results come in id order.'),
  sortOrder: z.string().max(20).optional().describe('Not supported.'),
  ...projectionQuery,
});

/** Reads a projection from query parameters. */
export function projectionOf(query: {
  attributes?: string | undefined;
  excludedAttributes?: string | undefined;
}): Projection {
  return {
    attributes: attributeList(query.attributes),
    excludedAttributes: attributeList(query.excludedAttributes),
  };
}

/** Clamps paging as RFC 7644 §3.4.2.4 says: startIndex below 1 is 1, count below 0 is 0. */
export function pageOf(query: { startIndex?: number | undefined; count?: number | undefined }) {
  return {
    startIndex: Math.max(1, query.startIndex ?? 1),
    count: Math.min(MAX_RESULTS, Math.max(0, query.count ?? DEFAULT_COUNT)),
  };
}

/** The SCIM base URL of a request (`https://host/scim/v2`), for `meta.location` and `Location`. */
export function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}${SCIM_PREFIX}`;
}

/** The `If-Match` header of a request, if any. */
export function ifMatchOf(request: FastifyRequest): string | undefined {
  const value = request.headers['if-match'];
  return typeof value === 'string' ? value : undefined;
}
