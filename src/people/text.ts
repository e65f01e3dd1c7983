// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** Returns true when the text holds a control character (C0, DEL or C1), which no name of a person may. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL_CHARACTERS.test(text);
}

/**
 * Returns why a piece of identity text (a username, group name, principal...) is unacceptable, or
 * undefined: it must be 1 to `max` characters, without control characters or surrounding spaces.
 */
export function identityTextProblem(text: string, max: number): string | undefined {
  if (text.length === 0) return 'must not be empty';
  if (text.length > max) return `must be at most ${max} characters`;
  if (hasControlCharacter(text)) return 'must not contain control characters';
  if (text.trim() !== text) return 'must not start or end with spaces';
  return undefined;
}
