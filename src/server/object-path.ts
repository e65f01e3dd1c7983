import type { FastifyRequest } from 'fastify';
import { AppError, fieldError } from '../errors/index.ts';

/**
 * Reads the `objectPath` that follows a route prefix in the raw URL: slash-separated names, each
 * percent-decoded on its own, so a name holding a slash is sent as `%2F`. Returns [] for no path.
 */
export function objectPathOf(request: FastifyRequest, prefix: string): string[] {
  const raw = (request.raw.url ?? '').split('?')[0]!;
  const rest = raw.startsWith(prefix) ? raw.slice(prefix.length) : '';
  const parts = rest.split('/').filter((p, i, all) => p !== '' || (i > 0 && i < all.length - 1));
  try {
    return parts.map((p) => decodeURIComponent(p));
  } catch {
    throw new AppError('REQUEST_INVALID', 'The object path is not valid percent-encoding.', {
      errors: [fieldError('params', ['objectPath'], 'is not valid percent-encoding')],
    });
  }
}
