import { createInterface } from 'node:readline';

/** Asks a yes/no question on a terminal; true only for `y` or `yes`, false for anything else or Ctrl-C. */
export function confirm(
  question: string,
  input: NodeJS.ReadStream,
  output: NodeJS.WritableStream,
): Promise<boolean> {
  const rl = createInterface({ input, output, terminal: true });
  return new Promise((resolve) => {
    let answered = false;
    rl.on('SIGINT', () => {
      output.write('\n');
      rl.close();
    });
    rl.on('close', () => {
      if (!answered) resolve(false);
    });
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
  });
}
