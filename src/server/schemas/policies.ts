import { z } from 'zod';

/** A policy: its key, scope, status and version, with its canonical V2 document. */
export const policySchema = z
  .object({
    id: z.number().int().describe('0 in a dry run of a new policy.'),
    policyKey: z.string(),
    name: z.string(),
    type: z.enum(['subscription', 'data']),
    scope: z.enum(['global', 'local']),
    dataSourceId: z.string().nullable(),
    staged: z.boolean(),
    status: z
      .enum(['staged', 'active', 'pending'])
      .describe('`pending` while enforcement of its last change is still under way somewhere.'),
    version: z.number().int(),
    document: z.record(z.string(), z.unknown()).describe('The canonical V2 document, defaults filled in.'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Policy' });

/** A data source named by id and name. */
export const dataSourceRefSchema = z.object({ dataSourceId: z.string(), name: z.string() });

/** The answer of a policy upsert (or dry run). */
export const policyUpsertSchema = z.object({
  dryRun: z.boolean(),
  action: z.enum(['created', 'updated', 'unchanged']),
  policy: policySchema,
  changes: z
    .array(z.object({ path: z.string(), before: z.unknown().optional(), after: z.unknown().optional() }))
    .describe('Field-level differences from the stored document; `before` is absent for an addition.'),
  affectedDataSources: z
    .array(dataSourceRefSchema)
    .describe('Data sources the policy applied to before or applies to after the change.'),
});

/** The answer of a policy deletion. */
export const policyDeletedSchema = z.object({
  policy: policySchema,
  affectedDataSources: z.array(dataSourceRefSchema),
});

/** A list of policies, as the reference's v1 API returns it. */
export const policyListSchema = z.object({ count: z.number().int(), hits: z.array(policySchema) });

/** One version of a policy. */
export const policyVersionSchema = z.object({
  policyId: z.number().int(),
  version: z.number().int(),
  policyKey: z.string(),
  change: z.enum(['created', 'updated', 'deleted']),
  staged: z.boolean(),
  document: z.record(z.string(), z.unknown()),
  changedAt: z.string(),
  changedBy: z.number().int().nullable(),
});

/** A V2 policy document in a request body (validated by the service, which names each bad field). */
export const policyDocumentBody = z
  .record(z.string(), z.unknown())
  .describe(
    'A V2 policy document, as JSON or YAML (`Content-Type: application/yaml`): `policyKey`, `name`, `type` (subscription or data), `actions`, `circumstances`, `circumstanceOperator`, `staged`. See docs/policies.md.',
  );

/** A policy key in a path: percent-encode spaces and slashes. */
export const policyKeySchema = z.string().min(1).max(200).describe('The policy key (percent-encoded).');

/** The `dryRun` and `reCertify` query parameters of the V2 upsert. */
export const upsertQuery = z
  .object({
    dryRun: z.enum(['true', 'false']).default('false').describe('Only say what would change; write nothing.'),
    reCertify: z
      .enum(['true', 'false'])
      .optional()
      .describe('Accepted for compatibility and ignored: Steward has no certifications to renew.'),
  })
  .strict();

/** A purpose. */
export const purposeSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Purpose' });

/** An access request, with its decision. */
export const accessRequestSchema = z
  .object({
    id: z.number().int(),
    dataSourceId: z.string(),
    dataSourceName: z.string(),
    userId: z.number().int(),
    username: z.string(),
    state: z.enum(['pending', 'approved', 'denied', 'withdrawn']),
    reason: z.string().nullable(),
    requestedAt: z.string(),
    decidedAt: z.string().nullable(),
    decidedBy: z.number().int().nullable(),
    decisionNote: z.string().nullable(),
  })
  .meta({ id: 'AccessRequest' });
