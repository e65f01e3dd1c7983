import type { ApiError } from './api-error.ts';
import type { ValidationTest } from './api-types.ts';
import { cellText } from './output.ts';

const STATUSES: ReadonlySet<string> = new Set(['passed', 'failed', 'skipped', 'warning']);

/** Renders validation tests as aligned lines of status, name and result. */
export function validationLines(tests: readonly ValidationTest[]): string[] {
  const statusWidth = Math.max(0, ...tests.map((t) => t.status.length));
  const nameWidth = Math.max(0, ...tests.map((t) => cellText(t.name).length));
  return tests.map((t) =>
    `${t.status.padEnd(statusWidth)}  ${cellText(t.name).padEnd(nameWidth)}  ${t.result ? cellText(t.result) : ''}`.trimEnd(),
  );
}

/** Returns the validation tests an error answer carries in its `validationTests` extension ([] when none). */
export function validationTestsOf(error: ApiError): ValidationTest[] {
  const tests = error.extensions['validationTests'];
  if (!Array.isArray(tests)) return [];
  return tests.flatMap((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { name, status, result } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || typeof status !== 'string' || !STATUSES.has(status)) return [];
    return [
      { name, status: status as ValidationTest['status'], ...(typeof result === 'string' ? { result } : {}) },
    ];
  });
}
