/** The process surroundings a command may use; built once by the entry point and passed down. */
export interface CliContext {
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

/** Returns the context of the running process. */
export function processContext(): CliContext {
  return { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}
