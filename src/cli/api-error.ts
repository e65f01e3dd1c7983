/** One offending input field of a problem document. */
export interface ProblemFieldError {
  readonly in?: string;
  readonly field: string;
  readonly detail: string;
}

/**
 * An error answer of the Steward API, carrying its problem document's status, code, detail, fields and
 * extensions (the members beyond the standard ones, such as `validationTests`).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: readonly ProblemFieldError[];
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(
    status: number,
    code: string,
    detail: string,
    errors: readonly ProblemFieldError[] = [],
    extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = errors;
    this.extensions = extensions;
  }
}

const STANDARD_MEMBERS = new Set([
  'type',
  'title',
  'status',
  'code',
  'detail',
  'instance',
  'requestId',
  'errors',
]);

function fieldErrors(value: unknown): ProblemFieldError[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const e = entry as Record<string, unknown>;
    const field = typeof e['field'] === 'string' ? e['field'] : '';
    const detail = typeof e['detail'] === 'string' ? e['detail'] : '';
    return detail === '' ? [] : [{ ...(typeof e['in'] === 'string' ? { in: e['in'] } : {}), field, detail }];
  });
}

/** Builds the ApiError of a non-2xx response from its parsed body (a problem document, or anything else). */
export function apiErrorFrom(response: Response, body: unknown): ApiError {
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get('location');
    return new ApiError(
      response.status,
      'HTTP_REDIRECT',
      `the server answered with a redirect${location ? ` to ${location}` : ''}; check the server URL`,
    );
  }
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const problem = body as Record<string, unknown>;
    if (typeof problem['detail'] === 'string') {
      const code = typeof problem['code'] === 'string' ? problem['code'] : `HTTP_${response.status}`;
      const extensions = Object.fromEntries(
        Object.entries(problem).filter(([k]) => !STANDARD_MEMBERS.has(k)),
      );
      return new ApiError(
        response.status,
        code,
        problem['detail'],
        fieldErrors(problem['errors']),
        extensions,
      );
    }
  }
  const reason = response.statusText ? ` ${response.statusText}` : '';
  return new ApiError(
    response.status,
    `HTTP_${response.status}`,
    `the server answered HTTP ${response.status}${reason}`,
  );
}
