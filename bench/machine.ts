import { availableParallelism, cpus, platform, release, totalmem } from 'node:os';

/** Describes the machine a run measures: Node version, CPUs, operating system and memory. */
export function machineContext(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? 'unknown CPU';
  const memory = (totalmem() / 2 ** 30).toFixed(1);
  return (
    `node ${process.version}, ${list.length} CPUs (${availableParallelism()} usable) ${model}, ` +
    `${platform()} ${release()}, ${memory} GiB memory`
  );
}
