import { z } from 'zod';

/** A user as the API shows it. */
export const userSchema = z
  .object({
    id: z.number().int(),
    username: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    state: z.enum(['active', 'disabled']),
    permissions: z.array(z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'User' });
