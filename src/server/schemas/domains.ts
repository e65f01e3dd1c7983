import { z } from 'zod';

/** The domain-scoped permissions a user can be granted. */
export const DOMAIN_PERMISSIONS = ['Manage Policies', 'Audit Activity'] as const;

/** A user's permissions in a domain. */
export const domainGrantSchema = z.object({
  userId: z.number().int(),
  username: z.string(),
  permissions: z.array(z.enum(DOMAIN_PERMISSIONS)),
});

/** A domain: a group of data sources with delegated permissions. */
export const domainSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    dataSourceCount: z.number().int(),
    permissions: z.array(domainGrantSchema),
    createdAt: z.string(),
    createdBy: z.number().int().nullable(),
  })
  .meta({ id: 'Domain' });

/** A domain's name: trimmed, 1 to 200 characters. */
export const domainNameSchema = z.string().trim().min(1).max(200);
