import { InvalidArgumentError } from 'commander';

/**
 * Parses an object path argument: names separated by slashes (`demo/postgres/sales`), where `\/` stands
 * for a slash inside a name and `\\` for a backslash. One trailing slash is ignored; an empty name is a
 * usage error.
 */
export function objectPath(text: string): string[] {
  const names: string[] = [];
  let name = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === '\\' && (next === '/' || next === '\\')) {
      name += next;
      i++;
    } else if (ch === '/') {
      names.push(name);
      name = '';
    } else {
      name += ch;
    }
  }
  if (name !== '' || names.length === 0) names.push(name);
  if (names.some((n) => n === '')) {
    throw new InvalidArgumentError(
      'expected names separated by slashes, such as demo/postgres/sales (write \\/ for a slash inside a name).',
    );
  }
  return names;
}

/** Returns the URL path of an object below a route prefix, each name percent-encoded on its own. */
export function objectUrl(prefix: string, path: readonly string[]): string {
  return `${prefix}/${path.map((name) => encodeURIComponent(name)).join('/')}`;
}

/** Renders an object path the way `objectPath` reads it back. */
export function objectPathText(path: readonly string[]): string {
  return path.map((name) => name.replaceAll('\\', '\\\\').replaceAll('/', '\\/')).join('/');
}
