import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { EnforcementTarget } from '../src/platforms/platform.ts';
import { compilePostgres } from '../src/platforms/postgres/compile.ts';
import { type AccessPlan, isGoverned } from '../src/policy/access-plan.ts';
import { planDataSource } from '../src/policy/plan.ts';
import { quantile } from './latency.ts';
import { syntheticPolicies, syntheticTargets } from './policy-synthetic.ts';
import { waitForQuiet } from './quiet.ts';
import { figure, note } from './report.ts';

const DATA_SOURCES = 1_000;
const COLUMNS = 20;
const POLICIES = 100;
const WARMUPS = 2;
const RUNS = 7;
const CONTEXT = { purposes: ['Fraud', 'Audit', 'Research'] };

/** One run's timings, and what it produced (checked to be the same every run). */
interface Run {
  readonly planMs: number;
  readonly compileMs: number;
  readonly plans: readonly AccessPlan[];
  readonly tables: number;
  readonly failures: readonly string[];
  readonly sqlBytes: number;
}

function once(
  targets: ReturnType<typeof syntheticTargets>,
  policies: ReturnType<typeof syntheticPolicies>,
  salts: ReadonlyMap<string, string>,
): Run {
  const started = performance.now();
  const plans = targets.map((t) => planDataSource(policies, t, CONTEXT));
  const planned = performance.now();
  const governed: EnforcementTarget[] = plans
    .filter(isGoverned)
    .map((plan) => ({ plan, salt: salts.get(plan.target.id)! }));
  const desired = compilePostgres(governed, 'steward', 'steward_service_views');
  const compiled = performance.now();
  let sqlBytes = 0;
  for (const t of desired.tables) {
    sqlBytes += t.view.definition.length;
    for (const p of t.policies) sqlBytes += p.using.length + (p.check?.length ?? 0);
  }
  return {
    planMs: planned - started,
    compileMs: compiled - planned,
    plans,
    tables: desired.tables.length,
    failures: desired.failures.map((f) => `${f.schema}.${f.table}: ${f.error}`),
    sqlBytes,
  };
}

function describe(run: Run): string {
  const plans = run.plans;
  const governed = plans.filter(isGoverned);
  const sum = (f: (p: AccessPlan) => number) => plans.reduce((n, p) => n + f(p), 0);
  return (
    `${governed.length} of ${plans.length} data sources governed, ${run.tables} compiled, ` +
    `${run.failures.length} compile failures; per data source on average ${(sum((p) => p.policies.length) / plans.length).toFixed(1)} policies applied, ` +
    `${(sum((p) => p.masks.length) / plans.length).toFixed(1)} masks, ${(sum((p) => p.rowFilters.length) / plans.length).toFixed(1)} row filters, ` +
    `${(sum((p) => p.skipped.length) / plans.length).toFixed(1)} skipped; ` +
    `${plans.filter((p) => p.subscription).length} with a subscription plan; ` +
    `${(run.sqlBytes / 2 ** 20).toFixed(1)} MiB of policy and view SQL`
  );
}

/**
 * Plans 1,000 synthetic data sources (20 columns each) against 100 global policies and compiles the
 * governed ones for PostgreSQL; median of 7 runs after 2 warm-ups, in total and per stage.
 */
export async function measurePlanCompile(): Promise<void> {
  const targets = syntheticTargets(DATA_SOURCES, COLUMNS);
  const policies = syntheticPolicies(POLICIES);
  const salts = new Map(targets.map((t) => [t.id, randomBytes(16).toString('hex')]));
  await waitForQuiet('policy_plan_compile', 1.5, 30);
  for (let i = 0; i < WARMUPS; i++) once(targets, policies, salts);
  const plan = new Float64Array(RUNS);
  const compile = new Float64Array(RUNS);
  const total = new Float64Array(RUNS);
  let last: Run | undefined;
  for (let i = 0; i < RUNS; i++) {
    const run = once(targets, policies, salts);
    plan[i] = run.planMs;
    compile[i] = run.compileMs;
    total[i] = run.planMs + run.compileMs;
    last = run;
    // Let the event loop (and a pending Ctrl-C) run between runs.
    await new Promise((resolve) => setImmediate(resolve));
  }
  note(`policy_plan_compile: ${describe(last!)}`);
  if (last!.failures.length > 0) note(`policy_plan_compile: first compile failure: ${last!.failures[0]}`);
  const name = `policy_plan_compile_${DATA_SOURCES}x${POLICIES}`;
  figure(name, quantile(total.sort(), 0.5), 'ms');
  figure(`${name}.plan`, quantile(plan.sort(), 0.5), 'ms');
  figure(`${name}.compile`, quantile(compile.sort(), 0.5), 'ms');
  note(`${name}: totals ${[...total].map((v) => v.toFixed(0)).join(', ')} ms (goal < 1,000 ms)`);
}
