import { AppError, fieldError } from '../../errors/index.ts';

/** What a parse was reading, which names it in messages. */
export type WhereTextKind = 'clause' | 'expression';

const SUBJECT: Record<WhereTextKind, string> = {
  clause: 'The custom WHERE clause',
  expression: 'The custom expression',
};

/**
 * Builds the 400 `POLICY_WHERE_INVALID` error for policy text at `field` (a dotted name such as
 * `rules[0].config.where`): `problem` is the public reason: it quotes the offending fragment first, or reads on from the
 * subject ("is empty").
 */
export function whereInvalid(field: string, kind: WhereTextKind, problem: string, cause?: unknown): AppError {
  const detail = problem.startsWith('"')
    ? `${SUBJECT[kind]} is not allowed: ${problem}`
    : `${SUBJECT[kind]} ${problem}`;
  return new AppError('POLICY_WHERE_INVALID', detail, {
    errors: [fieldError('body', fieldPath(field), problem)],
    cause,
  });
}

/** Splits a dotted field name with `[n]` indexes (`rules[0].where`) into its path of keys and indexes. */
export function fieldPath(field: string): (string | number)[] {
  const path: (string | number)[] = [];
  for (const part of field.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    path.push(part.startsWith('[') ? Number(part.slice(1, -1)) : part);
  }
  return path;
}
