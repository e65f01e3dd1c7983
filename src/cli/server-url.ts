/**
 * Returns the server URL in canonical form (http or https, no trailing slash), or throws an Error
 * saying why the text is not one.
 */
export function normalizeServerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error(`${JSON.stringify(text)} is not a URL (example: http://localhost:8080)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${JSON.stringify(text)} is not an http or https URL`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new Error('the server URL must not contain credentials; give the API key with --key');
  }
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}
