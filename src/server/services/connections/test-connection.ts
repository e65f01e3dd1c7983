import type { ValidationTest } from '../../../platforms/platform.ts';
import type { ServiceContext } from '../../context.ts';
import { type ConnectionBody, type ParsedConnection, parseConnectionPayload } from './parse-payload.ts';

/** The answer of a dry run, as the reference shapes it. */
export interface ValidationResult {
  readonly status: 'passed' | 'failed' | 'warning';
  readonly validationTests: ValidationTest[];
}

/** Summarises validation tests: failed if any failed, warning if any warned, else passed. */
export function summarize(tests: ValidationTest[]): ValidationResult {
  const status = tests.some((t) => t.status === 'failed')
    ? 'failed'
    : tests.some((t) => t.status === 'warning')
      ? 'warning'
      : 'passed';
  return { status, validationTests: tests };
}

/** Runs a parsed connection's validation tests on its platform. */
export async function runValidation(
  parsed: ParsedConnection,
  signal?: AbortSignal,
): Promise<ValidationResult> {
  const tests = await parsed.platform.validate(
    {
      connectionKey: parsed.connectionKey,
      connection: parsed.connection,
      nativeIntegration: parsed.nativeIntegration,
    },
    signal,
  );
  return summarize(tests);
}

/** The dry run of `POST /data/connection/test`: validates, connects and checks privileges; stores nothing. */
export async function testConnection(
  ctx: ServiceContext,
  body: ConnectionBody,
  signal?: AbortSignal,
): Promise<ValidationResult> {
  const parsed = await parseConnectionPayload(ctx.deps.store.db, ctx.deps.platforms, body);
  return runValidation(parsed, signal);
}
