import { z } from 'zod';

/** An API key as listings show it: never the key itself. */
export const apiKeySchema = z
  .object({
    id: z.number().int(),
    userId: z.number().int(),
    name: z.string(),
    prefix: z.string().describe('The first characters of the key, to recognise it.'),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' });
