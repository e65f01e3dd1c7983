import { cellText, type TextSink } from './output.ts';
import type { AffectedDataSource, PolicyChange } from './policy-api.ts';
import { sourceText } from './policy-files.ts';
import {
  type PlanAction,
  type PlanEntry,
  type PolicyPlan,
  planCounts,
  planHasChanges,
} from './policy-plan.ts';

const SYMBOL: Readonly<Record<PlanAction, string>> = {
  create: '+',
  update: '~',
  delete: '-',
  unchanged: ' ',
};

const VALUE_WIDTH = 60;
const NAMES_SHOWN = 5;

/** Renders a changed value as compact JSON, shortened to one readable line. */
function valueText(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > VALUE_WIDTH ? `${json.slice(0, VALUE_WIDTH - 1)}…` : json;
}

/** Renders a change as `~ path: before -> after`, `+ path: after` or `- path: before`. */
export function changeText(change: PolicyChange): string {
  const path = cellText(change.path);
  const hasBefore = 'before' in change;
  const hasAfter = 'after' in change;
  if (hasBefore && hasAfter) return `~ ${path}: ${valueText(change.before)} -> ${valueText(change.after)}`;
  if (hasAfter) return `+ ${path}: ${valueText(change.after)}`;
  if (hasBefore) return `- ${path}: ${valueText(change.before)}`;
  return `~ ${path}`;
}

/** Renders the data sources a change reaches: `affects 2 data sources: a, b`. */
export function affectedText(sources: readonly AffectedDataSource[]): string {
  const names = sources.slice(0, NAMES_SHOWN).map((s) => cellText(s.name));
  const more = sources.length > NAMES_SHOWN ? ` and ${sources.length - NAMES_SHOWN} more` : '';
  const count = sources.length === 1 ? '1 data source' : `${sources.length} data sources`;
  return `affects ${count}: ${names.join(', ')}${more}`;
}

function printEntry(out: TextSink, entry: PlanEntry): void {
  const where = entry.local ? sourceText(entry.local) : 'on the server only';
  out.write(`${SYMBOL[entry.action]} ${entry.action.padEnd(6)}  ${cellText(entry.policyKey)}  (${where})\n`);
  if (entry.action === 'update') for (const change of entry.changes) out.write(`    ${changeText(change)}\n`);
  if (entry.affectedDataSources.length > 0) out.write(`    ${affectedText(entry.affectedDataSources)}\n`);
}

/**
 * Prints a plan the way terraform does: one `+ create`, `~ update` (with its changed paths) or
 * `- delete` line per changed policy, the server policies not managed here, and a summary line.
 */
export function printPlan(out: TextSink, plan: PolicyPlan): void {
  for (const entry of plan.entries) if (entry.action !== 'unchanged') printEntry(out, entry);
  if (plan.notManaged.length > 0) {
    const count = plan.notManaged.length === 1 ? '1 policy' : `${plan.notManaged.length} policies`;
    out.write(
      `${count} on the server ${plan.notManaged.length === 1 ? 'is' : 'are'} not managed here ` +
        `(--prune deletes them): ${plan.notManaged.map((k) => cellText(k)).join(', ')}\n`,
    );
  }
  const counts = planCounts(plan);
  if (!planHasChanges(plan)) {
    out.write(
      `No changes: ${counts.unchanged} ${counts.unchanged === 1 ? 'policy is' : 'policies are'} up to date.\n`,
    );
    return;
  }
  out.write(
    `Plan: ${counts.create} to create, ${counts.update} to update, ${counts.delete} to delete, ` +
      `${counts.unchanged} unchanged.\n`,
  );
}

/** The machine-readable form of a plan, for `--json`. */
export function planJson(plan: PolicyPlan): Record<string, unknown> {
  return {
    changes: planHasChanges(plan),
    summary: planCounts(plan),
    policies: plan.entries.map((e) => ({
      policyKey: e.policyKey,
      action: e.action,
      file: e.local?.file ?? null,
      line: e.local?.line ?? null,
      changes: e.changes,
      affectedDataSources: e.affectedDataSources,
    })),
    notManaged: plan.notManaged,
  };
}
