import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type { ZodType, z } from 'zod';
import { AppError, type FieldError, fieldError } from '../../errors/index.ts';

const PARTS: Record<string, FieldError['in']> = {
  body: 'body',
  querystring: 'query',
  params: 'params',
  headers: 'headers',
};

/** Maps zod issues to field errors naming each offending field by JSON pointer and dotted path. */
export function fieldErrorsFromZod(
  issues: readonly z.core.$ZodIssue[],
  location: FieldError['in'],
): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push(fieldError(location, [...issue.path, key], 'is not a known field'));
      continue;
    }
    const missing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
    out.push(fieldError(location, issue.path, missing ? 'is required' : issue.message));
  }
  return out;
}

function describe(errors: readonly FieldError[]): string {
  const named = errors.map((e) =>
    e.field === '' ? `the ${e.in}` : `${e.in === 'body' ? '' : `${e.in} `}${e.field}`,
  );
  const list = [...new Set(named)].slice(0, 5).join(', ');
  return `Invalid ${list}: ${errors[0]?.detail ?? 'invalid'}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}.`;
}

const validatorCompiler: FastifySchemaCompiler<ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const location = PARTS[httpPart ?? 'body'] ?? 'body';
    if (location === 'body' && (data === undefined || data === null)) {
      return {
        error: new AppError('REQUEST_INVALID', 'A request body is required.', {
          errors: [fieldError('body', [], 'is required')],
        }),
      };
    }
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    const errors = fieldErrorsFromZod(result.error.issues, location);
    return { error: new AppError('REQUEST_INVALID', describe(errors), { errors }) };
  };

/** Validates requests with the routes' zod schemas and serialises responses through them. */
export function registerValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
}
