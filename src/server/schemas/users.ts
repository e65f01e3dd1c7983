import { z } from 'zod';
import { attributeKeyProblem, attributeValueProblem } from '../../people/attribute.ts';
import { identityTextProblem } from '../../people/text.ts';

/** A user as the API shows it. */
export const userSchema = z
  .object({
    id: z.number().int(),
    username: z.string(),
    name: z.string().nullable().describe('The display name.'),
    email: z.string().nullable(),
    givenName: z.string().nullable(),
    familyName: z.string().nullable(),
    externalId: z.string().nullable().describe("The identity provider's id of the user (SCIM externalId)."),
    state: z.enum(['active', 'disabled']),
    source: z.enum(['bim', 'scim']).describe('Created in Steward (bim) or provisioned by SCIM.'),
    permissions: z.array(z.string()),
    version: z.number().int().describe('Incremented on every change; the SCIM ETag.'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'User' });

/** A group as a user's profile names it. */
export const groupRefSchema = z.object({ id: z.number().int(), name: z.string() }).meta({ id: 'GroupRef' });

/** Attributes: each key with its values (`{"Region": ["CA", "US"]}`). */
export const attributesSchema = z
  .record(z.string(), z.array(z.string()))
  .meta({ id: 'Attributes', description: 'Each attribute key with its values, sorted.' });

/** A user with their groups and attributes. */
export const userDetailSchema = userSchema
  .extend({ groups: z.array(groupRefSchema), attributes: attributesSchema })
  .meta({ id: 'UserDetail' });

/** A group as the API shows it. */
export const groupSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    externalId: z.string().nullable(),
    source: z.enum(['bim', 'scim']),
    memberCount: z.number().int(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Group' });

/** A member of a group. */
export const groupMemberSchema = z
  .object({
    id: z.number().int(),
    username: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    state: z.enum(['active', 'disabled']),
  })
  .meta({ id: 'GroupMember' });

/** How a user is known on one connection's platform. */
export const externalIdSchema = z
  .object({
    connectionKey: z.string(),
    mode: z
      .enum(['explicit', 'none', 'unset'])
      .describe('explicit: a named principal; none: not on this platform; unset: the Steward username.'),
    principal: z.string().nullable().describe('The explicit principal, when mode is explicit.'),
    effectivePrincipal: z
      .string()
      .nullable()
      .describe('The principal entitlements are synced for, or null when the user is not on the platform.'),
  })
  .meta({ id: 'ExternalUserId' });

function refinedText(problem: (text: string) => string | undefined) {
  return z.string().superRefine((text, ctx) => {
    const message = problem(text);
    if (message) ctx.addIssue({ code: 'custom', message });
  });
}

/** A username: 1 to 256 characters, no control characters or surrounding spaces. */
export const usernameSchema = refinedText((t) => identityTextProblem(t, 256));

/** A display name or group name: 1 to 256 characters, no control characters or surrounding spaces. */
export const nameSchema = refinedText((t) => identityTextProblem(t, 256));

/** An attribute key: 1 to 128 characters, no control characters or surrounding spaces. */
export const attributeKeySchema = refinedText(attributeKeyProblem);

/** An attribute value: up to 256 characters; `*` only as the whole last dotted segment (`sales.*`). */
export const attributeValueSchema = refinedText(attributeValueProblem);

/** Attributes in a request body: keys with lists of values. */
export const attributesInputSchema = z
  .record(attributeKeySchema, z.array(attributeValueSchema).max(1000))
  .refine((a) => Object.keys(a).length <= 1000, 'must have at most 1000 keys');
