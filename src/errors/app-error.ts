import { ERROR_CATALOG, type ErrorCode } from './catalog.ts';

/** One offending input field: where it is (JSON pointer and dotted path) and what is wrong with it. */
export interface FieldError {
  readonly in: 'body' | 'query' | 'params' | 'headers';
  readonly pointer: string;
  readonly field: string;
  readonly detail: string;
}

/** Options for an AppError: offending fields, extra public details, and an internal cause never shown. */
export interface AppErrorOptions {
  readonly errors?: readonly FieldError[];
  readonly extensions?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/**
 * An error with a catalogue code. Its `detail` and `extensions` are public; its `cause` is internal
 * and only ever logged (with credentials redacted), never sent to a client.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly detail: string;
  readonly errors: readonly FieldError[];
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, detail?: string, options: AppErrorOptions = {}) {
    const entry = ERROR_CATALOG[code];
    super(detail ?? entry.title, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.statusCode = entry.status;
    this.detail = detail ?? entry.title;
    this.errors = options.errors ?? [];
    this.extensions = options.extensions ?? {};
  }
}

/** Returns true when the value is an AppError. */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Converts a path of keys and indexes to an RFC 6901 JSON pointer fragment (`#/a/0/b`). */
export function toPointer(path: readonly PropertyKey[]): string {
  return '#' + path.map((p) => '/' + String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('');
}

/** Converts a path of keys and indexes to a dotted field name (`a[0].b`). */
export function toFieldName(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** Builds a FieldError for the value at `path` in the given part of the request. */
export function fieldError(
  location: FieldError['in'],
  path: readonly PropertyKey[],
  detail: string,
): FieldError {
  return { in: location, pointer: toPointer(path), field: toFieldName(path), detail };
}
