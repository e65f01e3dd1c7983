import type { AppError, ErrorCode } from '../errors/index.ts';
import { ERROR_SCHEMA } from './urns.ts';

/** The `scimType` of errors that have one (RFC 7644 §3.12). */
const SCIM_TYPES: Partial<Record<ErrorCode, string>> = {
  USER_FILTER_INVALID: 'invalidFilter',
  USER_PATCH_PATH_INVALID: 'invalidPath',
  USER_PATCH_NO_TARGET: 'noTarget',
  USER_ATTRIBUTE_READ_ONLY: 'mutability',
  USER_TAKEN: 'uniqueness',
  GROUP_TAKEN: 'uniqueness',
  REQUEST_INVALID: 'invalidValue',
  REQUEST_MALFORMED: 'invalidSyntax',
  REQUEST_TOO_LARGE: 'tooMany',
};

/**
 * The SCIM error body of an error: `schemas`, `status` (a string, as RFC 7644 §3.12 has it), `scimType`
 * where one applies, and `detail`; plus Steward's `code`, `requestId` and public extensions, which SCIM
 * clients ignore and people reading logs need.
 */
export function scimErrorBody(error: AppError, requestId: string): Record<string, unknown> {
  const scimType = SCIM_TYPES[error.code];
  return {
    ...error.extensions,
    schemas: [ERROR_SCHEMA],
    status: String(error.statusCode),
    ...(scimType ? { scimType } : {}),
    detail: error.detail,
    code: error.code,
    requestId,
  };
}
