/** One benchmark: a dotted name that `npm run bench -- <part>` filters on, and a run that prints its figures. */
export interface Benchmark {
  readonly name: string;
  run(): Promise<void>;
}

/** The metadata store back ends a server benchmark runs against. */
export type Backend = 'embedded' | 'postgres';

/** Both back ends, embedded first. */
export const BACKENDS: readonly Backend[] = ['embedded', 'postgres'];
