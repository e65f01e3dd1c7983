import type { AppError, FieldError } from './app-error.ts';
import { ERROR_CATALOG, problemType } from './catalog.ts';

/** The RFC 9457 problem document Steward sends for every error. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly instance?: string;
  readonly requestId?: string;
  readonly errors?: readonly FieldError[];
  readonly [extension: string]: unknown;
}

/** The media type of problem documents. */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Maps an AppError to its problem document; the only place errors become response bodies. */
export function toProblem(error: AppError, requestId?: string): Problem {
  const entry = ERROR_CATALOG[error.code];
  return {
    ...error.extensions,
    type: problemType(error.code),
    title: entry.title,
    status: entry.status,
    code: error.code,
    detail: error.detail,
    ...(requestId ? { requestId } : {}),
    ...(error.errors.length > 0 ? { errors: error.errors } : {}),
  };
}
