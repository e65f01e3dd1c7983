/** Formats a figure's value: whole numbers as they are, others with precision suited to their size. */
export function formatValue(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const size = Math.abs(value);
  if (size >= 100) return value.toFixed(0);
  if (size >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Prints one figure as `name: value unit` on stdout, which carries nothing but figure lines. */
export function figure(name: string, value: number, unit: string): void {
  if (!Number.isFinite(value)) throw new Error(`The figure ${name} is not a finite number: ${value}.`);
  process.stdout.write(`${name}: ${formatValue(value)} ${unit}\n`);
}

/** Writes a progress line or a note on stderr, so stdout keeps only figures. */
export function note(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
