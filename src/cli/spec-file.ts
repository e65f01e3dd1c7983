import { readFileSync } from 'node:fs';
import { parse, YAMLParseError } from 'yaml';
import { CliError, EXIT } from './cli-error.ts';

/**
 * Reads a YAML or JSON file holding one mapping, such as a request body. Fails with a usage error naming
 * the file, and for a syntax error its line and column, but never quoting its contents (they may hold
 * credentials).
 */
export function readSpecFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new CliError(`cannot read ${path} (${code})`, EXIT.usage);
  }
  let value: unknown;
  try {
    value = parse(text, { logLevel: 'error' });
  } catch (error) {
    if (!(error instanceof YAMLParseError)) throw error;
    const at = error.linePos?.[0];
    const reason = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const where = at ? ` (line ${at.line}, column ${at.col})` : '';
    throw new CliError(`${path} is not valid YAML or JSON${where}: ${reason}`, EXIT.usage);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(`${path} must hold a mapping of fields (a JSON object)`, EXIT.usage);
  }
  return value as Record<string, unknown>;
}
