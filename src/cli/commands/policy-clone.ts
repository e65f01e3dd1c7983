import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { CliError } from '../cli-error.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { printJson, printTable } from '../output.ts';
import { listPolicies, type PolicyView } from '../policy-api.ts';

/** Fields written first in every mapping, in this order; every other key follows alphabetically. */
const LEADING_FIELDS = ['policyKey', 'name', 'type'];

/** Returns a file name stem for a policy key: lower-case letters and digits joined by hyphens. */
export function policySlug(policyKey: string): string {
  const slug = policyKey
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 100)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'policy' : slug;
}

function fieldRank(key: string): number {
  const i = LEADING_FIELDS.indexOf(key);
  return i === -1 ? LEADING_FIELDS.length : i;
}

function compareFields(a: string, b: string): number {
  return fieldRank(a) - fieldRank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Returns a copy of a JSON value with every mapping's keys in a fixed order, so a clone is the same each time. */
function orderedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(orderedKeys);
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value).sort(compareFields);
  return Object.fromEntries(keys.map((k) => [k, orderedKeys((value as Record<string, unknown>)[k])]));
}

/**
 * Renders a policy's document as YAML in a stable key order, its key always included. Strings that a
 * YAML 1.1 reader would take for something else (`yes`, `on`, `0123`) are quoted, so any tool reads it
 * back the same.
 */
export function policyYaml(policy: Pick<PolicyView, 'policyKey' | 'document'>): string {
  const document = orderedKeys({ ...policy.document, policyKey: policy.policyKey });
  return stringify(document, { lineWidth: 0, version: '1.1' });
}

/** Gives each policy a distinct file name: its slug, with `-2`, `-3`... when slugs collide. */
function fileNames(policies: readonly PolicyView[]): string[] {
  const taken = new Set<string>();
  return policies.map((policy) => {
    const slug = policySlug(policy.policyKey);
    let name = slug;
    for (let n = 2; taken.has(name); n++) name = `${slug}-${n}`;
    taken.add(name);
    return `${name}.yaml`;
  });
}

/** `steward policy clone`: writes every server policy as a YAML document, one file per policy. */
export function policyCloneCommand(policy: Command, ctx: CliContext): void {
  policy
    .command('clone')
    .description('Write every server policy to <dir>/<policy key slug>.yaml, ready for plan and apply')
    .requiredOption('-o, --out <dir>', 'the directory to write (created when missing)')
    .option('--force', 'overwrite files that exist')
    .option('--json', 'print the files written as JSON')
    .action(async (flags: { out: string; force?: boolean; json?: boolean }, command: Command) => {
      const policies = [...(await listPolicies(clientFor(ctx, command)))].sort((a, b) =>
        a.policyKey < b.policyKey ? -1 : a.policyKey > b.policyKey ? 1 : 0,
      );
      const files = fileNames(policies).map((name) => join(flags.out, name));
      const existing = files.filter((file) => existsSync(file));
      if (existing.length > 0 && !flags.force) {
        const shown = existing.slice(0, 3).join(', ') + (existing.length > 3 ? ', ...' : '');
        throw new CliError(
          `${existing.length} of the files exist already (${shown}); nothing was written (--force overwrites)`,
        );
      }
      mkdirSync(flags.out, { recursive: true });
      const written = policies.map((p, i) => ({ policyKey: p.policyKey, file: files[i]! }));
      for (const [i, p] of policies.entries()) writeFileSync(files[i]!, policyYaml(p));
      if (flags.json) return printJson(ctx.stdout, { dir: flags.out, files: written });
      printTable(
        ctx.stdout,
        [
          { header: 'FILE', cell: (w) => w.file },
          { header: 'POLICY KEY', cell: (w) => w.policyKey },
        ],
        written,
        'The server has no policies; nothing was written.',
      );
      if (written.length > 0) {
        ctx.stdout.write(
          `Cloned ${written.length} ${written.length === 1 ? 'policy' : 'policies'} into ${flags.out}.\n`,
        );
      }
    });
}
