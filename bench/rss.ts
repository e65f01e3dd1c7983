/** Samples this process's resident set size at a fixed interval and keeps the peak. */
export class RssSampler {
  private readonly timer: NodeJS.Timeout;
  private highest: number;
  /** The resident set size when sampling started, in bytes. */
  readonly before: number;

  constructor(intervalMs = 50) {
    this.before = process.memoryUsage.rss();
    this.highest = this.before;
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    this.highest = Math.max(this.highest, process.memoryUsage.rss());
  }

  /** Stops sampling (taking a last sample) and returns the peak in bytes. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.highest;
  }
}

/** Bytes in megabytes (10^6), for figures. */
export function megabytes(bytes: number): number {
  return bytes / 1e6;
}
