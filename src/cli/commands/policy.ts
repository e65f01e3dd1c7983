import type { Command, CommanderError } from 'commander';
import { ApiError } from '../api-error.ts';
import { CliError, EXIT, QuietExit } from '../cli-error.ts';
import type { ApiClient } from '../client.ts';
import { confirm } from '../confirm.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { cellText, printJson } from '../output.ts';
import { deletePolicy, upsertPolicy } from '../policy-api.ts';
import { readPolicyDir, sourceText } from '../policy-files.ts';
import {
  locatedError,
  type PlanEntry,
  type PolicyPlan,
  planCounts,
  planHasChanges,
  planPolicies,
} from '../policy-plan.ts';
import { planJson, printPlan } from '../policy-plan-output.ts';
import { reportError } from '../report-error.ts';
import { policyCloneCommand } from './policy-clone.ts';

interface PlanFlags {
  readonly dir: string;
  readonly prune?: boolean;
  readonly json?: boolean;
}

interface ApplyFlags extends PlanFlags {
  readonly yes?: boolean;
}

/** What apply did to one policy. */
interface AppliedStep {
  readonly policyKey: string;
  readonly action: 'created' | 'updated' | 'unchanged' | 'deleted';
}

const DIR_HELP = 'the directory of policy documents (*.yaml, *.yml, *.json; YAML files may hold several)';

/**
 * Reads and plans a directory. Every document the server refuses is reported with its file, line and
 * offending fields before failing, so one run shows all of them.
 */
async function planDir(ctx: CliContext, client: ApiClient, flags: PlanFlags): Promise<PolicyPlan> {
  const locals = readPolicyDir(flags.dir);
  const result = await planPolicies(client, locals, flags.prune ?? false);
  if (result.ok) return result.plan;
  for (const { local, error } of result.failures) reportError(ctx.stderr, locatedError(local, error));
  const n = result.failures.length;
  throw new CliError(`the server refused ${n} of ${locals.length} policy documents; nothing was changed`);
}

/** Exit 2 means "there are changes" for `policy plan`, so its usage errors exit 1 instead. */
function usageFails(error: CommanderError): never {
  if (error.exitCode === EXIT.ok) throw error;
  throw new QuietExit(EXIT.failure);
}

function policyPlan(policy: Command, ctx: CliContext): void {
  policy
    .command('plan')
    .description('Show what apply would change (exit 0: no changes, 2: changes, 1: error)')
    .requiredOption('-d, --dir <dir>', DIR_HELP)
    .option('--prune', 'plan deleting the server policies that have no document here')
    .option('--json', 'print the plan as JSON')
    .exitOverride(usageFails)
    .action(async (flags: PlanFlags, command: Command) => {
      const plan = await planDir(ctx, clientFor(ctx, command), flags);
      if (flags.json) printJson(ctx.stdout, planJson(plan));
      else printPlan(ctx.stdout, plan);
      if (planHasChanges(plan)) throw new QuietExit(EXIT.changes);
    });
}

/** Applies one entry of a plan; creations and updates are written as planned, deletions by key. */
async function applyEntry(client: ApiClient, entry: PlanEntry): Promise<AppliedStep> {
  if (entry.local === null) {
    await deletePolicy(client, entry.policyKey);
    return { policyKey: entry.policyKey, action: 'deleted' };
  }
  const result = await upsertPolicy(client, entry.local.document, false);
  return { policyKey: entry.policyKey, action: result.action };
}

/** Names the document or server policy an apply step failed on, for the error line. */
function failedAt(entry: PlanEntry, error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  if (entry.local) return locatedError(entry.local, error);
  const detail = `deleting policy ${JSON.stringify(entry.policyKey)}: ${error.detail}`;
  return new ApiError(error.status, error.code, detail, error.errors, error.extensions);
}

/** Asks before deleting server policies; without a terminal only `--yes` may delete. */
async function confirmDeletions(ctx: CliContext, plan: PolicyPlan, flags: ApplyFlags): Promise<void> {
  const deletions = plan.entries.filter((e) => e.action === 'delete').length;
  if (deletions === 0 || flags.yes) return;
  if (!ctx.stdin.isTTY) {
    throw new CliError('there is no terminal to confirm deleting policies on; pass --yes', EXIT.usage);
  }
  const what = deletions === 1 ? '1 policy' : `${deletions} policies`;
  const question = `Delete ${what} that ${deletions === 1 ? 'has' : 'have'} no document in ${flags.dir}? [y/N] `;
  if (!(await confirm(question, ctx.stdin, ctx.stderr))) throw new CliError('nothing was applied');
}

function policyApply(policy: Command, ctx: CliContext): void {
  policy
    .command('apply')
    .description('Create and update the policies of a directory (and with --prune delete the others)')
    .requiredOption('-d, --dir <dir>', DIR_HELP)
    .option('--prune', 'delete the server policies that have no document here')
    .option('-y, --yes', 'delete without asking (required with --prune when not on a terminal)')
    .option('--json', 'print the plan and what was applied as JSON')
    .action(async (flags: ApplyFlags, command: Command) => {
      const client = clientFor(ctx, command);
      const plan = await planDir(ctx, client, flags);
      if (!flags.json) printPlan(ctx.stdout, plan);
      const changes = plan.entries.filter((e) => e.action !== 'unchanged');
      if (changes.length > 0) await confirmDeletions(ctx, plan, flags);
      // Writes come before deletions: a failed write stops the run before any policy is removed.
      const applied: AppliedStep[] = [];
      for (const entry of changes) {
        let step: AppliedStep;
        try {
          step = await applyEntry(client, entry);
        } catch (error) {
          if (flags.json) printJson(ctx.stdout, { ...planJson(plan), applied, failed: entry.policyKey });
          reportError(ctx.stderr, failedAt(entry, error));
          ctx.stderr.write(`Stopped after applying ${applied.length} of ${changes.length} changes.\n`);
          throw new QuietExit(EXIT.failure);
        }
        applied.push(step);
        const where = entry.local ? `  (${sourceText(entry.local)})` : '';
        if (!flags.json) ctx.stdout.write(`${step.action} ${cellText(step.policyKey)}${where}\n`);
      }
      if (flags.json) return printJson(ctx.stdout, { ...planJson(plan), applied, failed: null });
      if (changes.length === 0) return;
      const done = (action: AppliedStep['action']) => applied.filter((s) => s.action === action).length;
      const unchanged = planCounts(plan).unchanged + done('unchanged');
      ctx.stdout.write(
        `Apply complete: ${done('created')} created, ${done('updated')} updated, ${done('deleted')} deleted, ` +
          `${unchanged} unchanged.\n`,
      );
    });
}

/** `steward policy`: policies as code, kept in a directory of YAML or JSON documents. */
export function policyCommand(program: Command, ctx: CliContext): void {
  const policy = program
    .command('policy')
    .description('Policies as code: plan and apply a directory of policy documents, clone the server');
  policyPlan(policy, ctx);
  policyApply(policy, ctx);
  policyCloneCommand(policy, ctx);
}
