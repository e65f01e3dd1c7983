import { z } from 'zod';

/** Words the reference refuses as connection keys, because they collide with `/data/...` routes. */
export const RESERVED_CONNECTION_KEYS = [
  'data',
  'connection',
  'object',
  'crawl',
  'search',
  'settings',
  'metadata',
  'permission',
  'sync',
  'bulk',
  'upgrade',
];

/** A connection key: letters, digits, hyphens and underscores, not a reserved word. */
export const connectionKeySchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, 'may contain only letters, digits, hyphens and underscores')
  .refine((k) => !RESERVED_CONNECTION_KEYS.includes(k.toLowerCase()), {
    message: `is a reserved word (${RESERVED_CONNECTION_KEYS.join(', ')})`,
  });
