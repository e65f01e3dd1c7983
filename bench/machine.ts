import { availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os';

/** Describes the machine a run measures: Node version, CPUs, operating system, memory and current load. */
export function machineContext(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? 'unknown CPU';
  const memory = (totalmem() / 2 ** 30).toFixed(1);
  return (
    `node ${process.version}, ${list.length} CPUs (${availableParallelism()} usable) ${model}, ` +
    `${platform()} ${release()}, ${memory} GiB memory, load average ${loadavg()[0]!.toFixed(2)}` +
    ' (other work on the machine skews the figures)'
  );
}
