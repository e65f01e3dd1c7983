/** The global permissions of the reference product, in its spelling. */
export const PERMISSIONS = [
  'APPLICATION_ADMIN',
  'GOVERNANCE',
  'USER_ADMIN',
  'AUDIT',
  'CREATE_DATA_SOURCE',
  'CREATE_PROJECT',
  'PROJECT_MANAGEMENT',
  'IMPERSONATE_USER',
] as const;

/** One global permission. */
export type Permission = (typeof PERMISSIONS)[number];

/** Returns true when the string names a known permission. */
export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}
