/**
 * Runs Steward's benchmarks: `npm run bench` runs all, `npm run bench -- <part>` those whose name
 * contains <part>. Figures go to stdout as `name: value unit`; everything else goes to stderr.
 */
import { performance } from 'node:perf_hooks';
import { apiLoadBenchmarks } from './api-load.ts';
import type { Benchmark } from './benchmark.ts';
import { cleanUpOnInterrupt, exitAfter } from './cleanup.ts';
import { crawlBenchmarks } from './crawl.ts';
import { discoveryEndToEndBenchmarks } from './discovery-e2e.ts';
import { discoveryQualityBenchmarks } from './discovery-quality.ts';
import { entitlementBenchmarks } from './entitlements.ts';
import { jobThroughputBenchmarks } from './job-throughput.ts';
import { machineContext } from './machine.ts';
import { policyBenchmarks } from './policy.ts';
import { note } from './report.ts';
import { scimBenchmarks } from './scim.ts';

const BENCHMARKS: readonly Benchmark[] = [
  ...apiLoadBenchmarks(),
  ...jobThroughputBenchmarks(),
  ...crawlBenchmarks(),
  ...scimBenchmarks(),
  ...entitlementBenchmarks(),
  ...policyBenchmarks(),
  ...discoveryEndToEndBenchmarks(),
  ...discoveryQualityBenchmarks(),
];

/** How long a finished run waits for open handles to close before exiting anyway. */
const EXIT_GRACE_MS = 5_000;

async function main(filter: string): Promise<number> {
  const selected = BENCHMARKS.filter((b) => b.name.includes(filter));
  if (selected.length === 0) {
    note(`no benchmark name contains "${filter}"; there are: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
    return 2;
  }
  note(machineContext());
  const began = performance.now();
  let failed = 0;
  for (const benchmark of selected) {
    note(`${benchmark.name}: starting`);
    const start = performance.now();
    try {
      await benchmark.run();
      note(`${benchmark.name}: done in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    } catch (error) {
      failed++;
      note(`${benchmark.name}: FAILED: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    }
  }
  const total = ((performance.now() - began) / 1000).toFixed(1);
  note(`${selected.length - failed} of ${selected.length} benchmarks ran in ${total} s`);
  return failed > 0 ? 1 : 0;
}

cleanUpOnInterrupt();
process.exitCode = await main(process.argv[2] ?? '');
// Every benchmark closes what it opened; should a handle stay open, do not hang.
exitAfter(EXIT_GRACE_MS, () => note('open handles remain after the run; exiting anyway'));
