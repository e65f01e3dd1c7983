import { ApiError } from './api-error.ts';
import { CliError, EXIT, QuietExit } from './cli-error.ts';
import { cellText, type TextSink } from './output.ts';
import { validationLines, validationTestsOf } from './validation-tests.ts';

const AUTH_CODES = new Set(['AUTH_REQUIRED', 'AUTH_INVALID_KEY']);

/**
 * Prints an error as `error: <detail>`, plus one line per offending field and per failed validation test
 * of a connection, and returns the exit code (a QuietExit prints nothing).
 */
export function reportError(err: TextSink, error: unknown): number {
  if (error instanceof ApiError) {
    err.write(`error: ${cellText(error.detail)}\n`);
    for (const field of error.errors) {
      err.write(`  ${cellText(field.field || field.in || 'request')}: ${cellText(field.detail)}\n`);
    }
    const failed = validationTestsOf(error).filter((t) => t.status === 'failed');
    for (const line of validationLines(failed)) err.write(`  ${line}\n`);
    if (AUTH_CODES.has(error.code)) {
      err.write('hint: set the API key with steward configure, STEWARD_API_KEY or --api-key\n');
    }
    return EXIT.failure;
  }
  if (error instanceof CliError) {
    if (!(error instanceof QuietExit)) err.write(`error: ${error.message}\n`);
    return error.exitCode;
  }
  err.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT.failure;
}
