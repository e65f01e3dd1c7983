import { z } from 'zod';
import { byType, entitlementSetSchema, fieldSelectorSchema, maskingConfigSchema } from './document-parts.ts';

/** The `actions` of V2 policy documents: a subscription policy's access rule and a data policy's rules. */

/** A display name or label: trimmed, 1-256 characters. */
export const label = z.string().trim().min(1).max(256);
const predicate = z.string().trim().min(1).max(10_000);

const approvalSchema = z.strictObject({
  requiredPermission: z.enum(['OWNER', 'GOVERNANCE', 'USER_ADMIN', 'AUDIT']),
  specificApproverRequired: z.boolean().default(false),
});

/** Who a subscription policy lets read its data sources. */
export const subscriptionActionsSchema = z
  .strictObject({
    type: z.enum(['anyone', 'entitlements', 'manual', 'approval']),
    entitlements: entitlementSetSchema.optional(),
    advanced: predicate.optional(),
    approvals: z.array(approvalSchema).min(1).max(20).optional(),
    automaticSubscription: z.boolean().default(true),
    allowDiscovery: z.boolean().default(false),
    shareResponsibility: z.boolean().default(false),
    policyRole: z.enum(['grant', 'guardrail']).default('grant'),
  })
  .superRefine((a, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (a.type === 'entitlements') {
      if ((a.entitlements === undefined) === (a.advanced === undefined)) {
        issue('entitlements', 'give either entitlements or advanced with type entitlements');
      }
    } else {
      if (a.entitlements !== undefined) issue('entitlements', 'is only allowed with type entitlements');
      if (a.advanced !== undefined) issue('advanced', 'is only allowed with type entitlements');
    }
    if (a.type === 'approval' && a.approvals === undefined)
      issue('approvals', 'is required with type approval');
    if (a.type !== 'approval' && a.approvals !== undefined)
      issue('approvals', 'is only allowed with type approval');
    if (a.policyRole === 'guardrail' && a.type !== 'entitlements') {
      issue('policyRole', 'a guardrail must have type entitlements');
    }
  });

const audience = { exceptions: entitlementSetSchema.optional(), inclusions: entitlementSetSchema.optional() };
const oneField = z.array(fieldSelectorSchema).length(1, 'must name exactly one column selector');

/** The rules of a data policy, by their reference `type`. */
export const dataRuleSchema = byType(
  [
    z.strictObject({
      type: z.literal('Masking'),
      ...audience,
      config: z.strictObject({
        fields: z.array(fieldSelectorSchema).min(1).max(100),
        maskingConfig: maskingConfigSchema,
        conditionalPredicate: predicate.optional(),
        otherwise: maskingConfigSchema.optional(),
      }),
    }),
    z.strictObject({
      type: z.literal('Row Restriction By User Entitlements'),
      ...audience,
      config: z.strictObject({
        fields: oneField,
        matchBy: byType(
          [
            z.strictObject({ type: z.literal('attribute'), attribute: label }),
            z.strictObject({ type: z.literal('groups') }),
          ],
          ['attribute', 'groups'],
        ),
      }),
    }),
    z.strictObject({
      type: z.literal('Row Restriction by Custom Where Clause'),
      ...audience,
      config: z.strictObject({ predicate }),
    }),
    z.strictObject({
      type: z.literal('Time Restriction'),
      ...audience,
      config: z.strictObject({
        fields: oneField.default([{ type: 'columnTags', columnTag: 'Event Time' }]),
        direction: z.enum(['newer', 'older']),
        amount: z.number().int().positive().max(1_000_000),
        unit: z.enum(['MINUTE', 'HOUR', 'DAY', 'MONTH', 'YEAR']),
      }),
    }),
    z.strictObject({
      type: z.literal('Minimization'),
      ...audience,
      config: z.strictObject({
        percent: z.number().gt(0).lte(100),
        fields: oneField.optional(),
      }),
    }),
    z.strictObject({
      type: z.literal('Purpose Restriction'),
      ...audience,
      config: z.strictObject({ purposes: z.array(label).min(1).max(100) }),
    }),
  ],
  [
    'Masking',
    'Row Restriction By User Entitlements',
    'Row Restriction by Custom Where Clause',
    'Time Restriction',
    'Minimization',
    'Purpose Restriction',
  ],
  ['differentialPrivacy', 'Differential Privacy', 'prerequisite', 'external', 'columnContent', 'exemption'],
).superRefine((rule, ctx) => {
  if (rule.exceptions !== undefined && rule.inclusions !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['inclusions'], message: 'give either exceptions or inclusions' });
  }
  if (rule.type === 'Masking' && rule.config.otherwise !== undefined && rule.inclusions === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['config', 'otherwise'],
      message: 'is only allowed with inclusions (the mask for everyone else)',
    });
  }
});

/** One rule of a data policy as a document holds it. */
export type DataRuleDoc = z.output<typeof dataRuleSchema>;
