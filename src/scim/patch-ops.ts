import { AppError, fieldError } from '../errors/index.ts';
import { isObject } from './canonical.ts';

/** One PATCH operation, with its position in `Operations` for error messages. */
export interface PatchOperation {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path: string | undefined;
  readonly value: unknown;
  readonly index: number;
}

/** Most operations accepted in one PATCH request. */
export const MAX_PATCH_OPERATIONS = 1000;

function invalid(path: ReadonlyArray<string | number>, detail: string): AppError {
  return new AppError('REQUEST_INVALID', `Invalid ${path.join('.')}: ${detail}.`, {
    errors: [fieldError('body', path, detail)],
  });
}

function member(object: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(object).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : object[key];
}

/**
 * Reads the operations of a PatchOp body (RFC 7644 §3.5.2). Operation names and member names are read
 * case-insensitively, because Microsoft Entra ID sends `"op": "Replace"` and `"Add"`.
 */
export function readPatchOperations(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw invalid([], 'must be a PatchOp object');
  const operations = member(body, 'operations');
  if (!Array.isArray(operations) || operations.length === 0) {
    throw invalid(['Operations'], 'must be a non-empty list of operations');
  }
  if (operations.length > MAX_PATCH_OPERATIONS) {
    throw invalid(['Operations'], `must have at most ${MAX_PATCH_OPERATIONS} operations`);
  }
  return operations.map((raw, index) => {
    if (!isObject(raw)) throw invalid(['Operations', index], 'must be an object');
    const op = member(raw, 'op');
    const name = typeof op === 'string' ? op.toLowerCase() : undefined;
    if (name !== 'add' && name !== 'replace' && name !== 'remove') {
      throw invalid(['Operations', index, 'op'], 'must be add, replace or remove');
    }
    const path = member(raw, 'path');
    if (path !== undefined && path !== null && typeof path !== 'string') {
      throw invalid(['Operations', index, 'path'], 'must be a string');
    }
    const value = member(raw, 'value');
    if (name !== 'remove' && value === undefined) {
      throw invalid(['Operations', index, 'value'], `is required for ${name}`);
    }
    return {
      op: name,
      path: typeof path === 'string' && path.trim() !== '' ? path.trim() : undefined,
      value,
      index,
    };
  });
}
