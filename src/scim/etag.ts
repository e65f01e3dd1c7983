import { AppError } from '../errors/index.ts';

/** The weak entity tag of a resource version, as the `ETag` header and `meta.version` carry it. */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/**
 * Returns true when an `If-Match` header value admits the given version: `*`, or a list of entity
 * tags one of which (compared weakly, as RFC 7232 allows for If-Match on weak tags) names it.
 */
export function ifMatchAdmits(header: string, version: number): boolean {
  const value = header.trim();
  if (value === '*') return true;
  for (const tag of value.split(',')) {
    const opaque = /^\s*(?:W\/)?"([^"]*)"\s*$/.exec(tag)?.[1];
    if (opaque === String(version)) return true;
  }
  return false;
}

/** Fails with USER_VERSION_CONFLICT (412) when an `If-Match` header is given and names another version. */
export function checkIfMatch(header: string | undefined, version: number): void {
  if (header === undefined || ifMatchAdmits(header, version)) return;
  throw new AppError(
    'USER_VERSION_CONFLICT',
    `The resource is at version ${etagOf(version)}, not the one given in If-Match; read it again.`,
  );
}
