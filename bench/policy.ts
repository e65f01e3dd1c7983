import type { Benchmark } from './benchmark.ts';
import { measureAttributeChange } from './policy-attribute.ts';
import { measurePlanCompile } from './policy-plan.ts';
import { measureRls } from './policy-rls.ts';

/**
 * The policy engine and its PostgreSQL enforcement: planning and compiling 1,000 data sources under
 * 100 policies; row level security and masking overhead on 5,000,000 rows on a PostgreSQL server and
 * on PGlite; and the time from an attribute change to the rows it unlocks being visible.
 */
export function policyBenchmarks(): Benchmark[] {
  return [
    { name: 'policy.plan_compile', run: measurePlanCompile },
    { name: 'policy.rls.server', run: () => measureRls('server') },
    { name: 'policy.rls.pglite', run: () => measureRls('pglite') },
    { name: 'policy.attribute_change', run: measureAttributeChange },
  ];
}
