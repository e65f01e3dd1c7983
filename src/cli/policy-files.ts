import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { CliError } from './cli-error.ts';

/** A policy document read from a file, with where it was found (for messages). */
export interface LocalPolicy {
  readonly policyKey: string;
  readonly document: Readonly<Record<string, unknown>>;
  /** The file, as `dir/name.yaml`. */
  readonly file: string;
  /** The line the document starts on. */
  readonly line: number;
}

const POLICY_FILE = /\.(ya?ml|json)$/i;

/** Names a document for messages: `policies/grants.yaml:12`. */
export function sourceText(policy: Pick<LocalPolicy, 'file' | 'line'>): string {
  return `${policy.file}:${policy.line}`;
}

function fileNames(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && POLICY_FILE.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new CliError(`cannot read the directory ${dir} (${code})`);
  }
}

/**
 * Reads the policy documents of one file: every YAML document of it (separated by `---`; empty ones are
 * skipped), each of which must be a mapping with a non-empty string `policyKey`. Errors name the file
 * and line, never quoting the contents.
 */
export function readPolicyFile(file: string): LocalPolicy[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  const lines = new LineCounter();
  const policies: LocalPolicy[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lines })) {
    const error = doc.errors[0];
    if (error) {
      const at = error.linePos?.[0];
      const reason = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      throw new CliError(`${file}${at ? `:${at.line}` : ''} is not valid YAML or JSON: ${reason}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    const line = lines.linePos(doc.contents?.range[0] ?? 0).line;
    const where = `${file}:${line}`;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new CliError(`${where}: a policy document must be a mapping of fields (a JSON object)`);
    }
    const policyKey = (value as Record<string, unknown>)['policyKey'];
    if (typeof policyKey !== 'string' || policyKey.trim() === '') {
      throw new CliError(`${where}: the policy document has no policyKey`);
    }
    policies.push({ policyKey, document: value as Record<string, unknown>, file, line });
  }
  return policies;
}

/**
 * Reads every `*.yaml`, `*.yml` and `*.json` file directly in a directory, in name order, and returns
 * their policy documents. Fails when a policy key appears twice (naming both places) or when there is
 * no document at all, so that an empty or mistyped directory can never plan deleting every policy.
 */
export function readPolicyDir(dir: string): LocalPolicy[] {
  const policies = fileNames(dir).flatMap((name) => readPolicyFile(join(dir, name)));
  if (policies.length === 0) throw new CliError(`${dir} holds no policy documents (*.yaml, *.yml, *.json)`);
  const seen = new Map<string, LocalPolicy>();
  for (const policy of policies) {
    const first = seen.get(policy.policyKey);
    if (first) {
      throw new CliError(
        `the policy key ${JSON.stringify(policy.policyKey)} is in both ${sourceText(first)} and ${sourceText(policy)}`,
      );
    }
    seen.set(policy.policyKey, policy);
  }
  return policies;
}
