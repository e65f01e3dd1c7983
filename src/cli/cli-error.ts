/** Exit codes of every steward command; `changes` is `policy plan` finding something to apply. */
export const EXIT = { ok: 0, failure: 1, usage: 2, changes: 2 } as const;

/** A failure a command reports as `error: <message>` on stderr before exiting with `exitCode`. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT.failure) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/**
 * A non-zero exit whose reason the command already printed (or that is itself the answer, such as
 * `policy plan` exiting 2 when there are changes): reported without an `error:` line.
 */
export class QuietExit extends CliError {
  constructor(exitCode: number) {
    super('', exitCode);
    this.name = 'QuietExit';
  }
}
