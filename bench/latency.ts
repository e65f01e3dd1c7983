/** Returns the q-quantile (0 < q <= 1) of ascending samples by nearest rank; 0 when there are none. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** A growable list of latency samples in milliseconds. */
export class LatencySamples {
  private values = new Float64Array(1 << 16);
  private size = 0;

  /** Adds one sample. */
  add(ms: number): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = ms;
  }

  /** The number of samples. */
  get count(): number {
    return this.size;
  }

  /** The samples in ascending order (a copy). */
  sorted(): Float64Array {
    return this.values.slice(0, this.size).sort();
  }
}
