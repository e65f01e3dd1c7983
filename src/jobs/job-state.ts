/** Whether each job state is terminal; a Record, so a new state fails to compile until it is classified. */
export const IS_TERMINAL = {
  created: false,
  active: false,
  retry: false,
  completed: true,
  failed: true,
  cancelled: true,
  expired: true,
} as const satisfies Record<string, boolean>;

/** One job state, as in the reference's jobs API. */
export type JobState = keyof typeof IS_TERMINAL;

/** Every job state, in lifecycle order. */
export const JOB_STATES = Object.keys(IS_TERMINAL) as [JobState, ...JobState[]];

/** States a job never leaves. */
export const TERMINAL_STATES: readonly JobState[] = JOB_STATES.filter((s) => IS_TERMINAL[s]);

/** Returns true when a job can no longer change state. */
export function isTerminal(state: JobState): boolean {
  return IS_TERMINAL[state];
}
