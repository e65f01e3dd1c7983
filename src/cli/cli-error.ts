/** Exit codes of every steward command. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A failure a command reports as `error: <message>` on stderr before exiting with `exitCode`. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT.failure) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
