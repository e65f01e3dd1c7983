import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { isAppError } from '../../src/errors/index.ts';
import { and, hasAttribute, inGroup, not, or, usingPurpose } from '../../src/policy/condition.ts';
import {
  analyzePolicy,
  canonicalJson,
  normalizePolicy,
  type PolicyDocument,
  parsePolicyDocument,
} from '../../src/policy/document.ts';
import { documentChanges } from '../../src/policy/document-diff.ts';

const GLOBAL = { id: 7, scope: 'global' } as const;

/** The YAML examples of the reference's V2 policy API (immuta.md §5.4), verbatim. */
const REFERENCE_EXAMPLES = `
name: Approval                      # subscription: approval by OWNER or a chosen GOVERNANCE user
policyKey: subscription approval
type: subscription
actions:
  type: approval
  approvals:
  - {specificApproverRequired: false, requiredPermission: OWNER}
  - {specificApproverRequired: true,  requiredPermission: GOVERNANCE}
circumstances: [{type: columnTags, columnTag: Discovered}]
---
name: Entitlement                   # ABAC subscription
policyKey: subscription entitlements
type: subscription
actions:
  type: entitlements
  entitlements: {operator: any, groups: [Employee], attributes: [{name: auth1, value: SOMETHING_ELSE}]}
  automaticSubscription: true
  allowDiscovery: false
circumstances: [{type: columnRegex, regex: ssn, caseInsensitive: false}]
staged: false
---
name: Mask with Constant            # data: constant mask unless attribute matches
policyKey: data mask constant
type: data
actions:
- rules:
  - type: Masking
    exceptions: {operator: any, attributes: [{name: auth, value: SOMETHING_ELSE}]}
    config:
      fields: [{type: columnTags, columnTag: Discovered.Country}]
      maskingConfig: {type: Constant, constant: REDACTED}
circumstanceOperator: any
circumstances: [{type: columnTags, columnTag: Discovered.Country}]
---
name: Conditional Masking           # cell-level
policyKey: data conditional masking
type: data
actions:
- rules:
  - type: Masking
    config:
      fields: [{type: columnTags, columnTag: Discovered.Passport}]
      conditionalPredicate: "@columnTagged('Discovered.Country') = 'USA'"
      maskingConfig: {type: Hash}
circumstanceOperator: all
circumstances: [{type: columnTags, columnTag: Discovered.Passport}, {type: columnTags, columnTag: Discovered.Country}]
`;

function examples(): unknown[] {
  return parseAllDocuments(REFERENCE_EXAMPLES).map((d) => d.toJS());
}

/** Parses a document and expects POLICY_INVALID (or another code); returns the offending fields and details. */
function rejects(input: unknown, code = 'POLICY_INVALID'): { field: string; detail: string }[] {
  try {
    parsePolicyDocument(input);
  } catch (error) {
    assert.ok(isAppError(error), String(error));
    assert.equal(error.code, code);
    return error.errors.map((e) => ({ field: e.field, detail: e.detail }));
  }
  assert.fail('the document was accepted');
}

async function rejectsAsync(
  run: () => Promise<unknown>,
  code: string,
): Promise<{ field: string; detail: string }[]> {
  try {
    await run();
  } catch (error) {
    assert.ok(isAppError(error), String(error));
    assert.equal(error.code, code, error.detail);
    return error.errors.map((e) => ({ field: e.field, detail: e.detail }));
  }
  assert.fail('the document was accepted');
}

const dataPolicy = (rule: Record<string, unknown>): Record<string, unknown> => ({
  policyKey: 'p',
  type: 'data',
  actions: [{ rules: [rule] }],
});

describe('V2 policy documents: the reference examples', () => {
  it('parses every YAML example of the reference verbatim', () => {
    const docs = examples().map((d) => parsePolicyDocument(d));
    assert.deepEqual(
      docs.map((d) => d.policyKey),
      [
        'subscription approval',
        'subscription entitlements',
        'data mask constant',
        'data conditional masking',
      ],
    );
  });

  it('normalizes the approval subscription with both approvals and its column tag circumstance', async () => {
    const policy = await normalizePolicy(parsePolicyDocument(examples()[0]), GLOBAL);
    assert.deepEqual(policy.subscription, {
      access: {
        kind: 'approval',
        approvals: [
          { specificApproverRequired: false, requiredPermission: 'OWNER' },
          { specificApproverRequired: true, requiredPermission: 'GOVERNANCE' },
        ],
      },
      role: 'grant',
      shareResponsibility: false,
      allowDiscovery: false,
    });
    assert.deepEqual(policy.circumstances, [{ kind: 'columnTags', tag: 'Discovered' }]);
    assert.deepEqual(policy.rules, []);
    assert.equal(policy.id, 7);
    assert.equal(policy.scope, 'global');
  });

  it('turns an ABAC entitlement set into any-of its group and attribute conditions', async () => {
    const policy = await normalizePolicy(parsePolicyDocument(examples()[1]), GLOBAL);
    assert.deepEqual(policy.subscription?.access, {
      kind: 'entitlements',
      condition: or(inGroup('Employee'), hasAttribute('auth1', 'SOMETHING_ELSE')),
    });
    assert.deepEqual(policy.circumstances, [{ kind: 'columnRegex', regex: 'ssn', caseInsensitive: false }]);
  });

  it('turns exceptions into an except audience and a Constant into a constant mask', async () => {
    const policy = await normalizePolicy(parsePolicyDocument(examples()[2]), GLOBAL);
    assert.deepEqual(policy.rules, [
      {
        kind: 'masking',
        audience: { kind: 'except', condition: hasAttribute('auth', 'SOMETHING_ELSE') },
        fields: [{ kind: 'columnTag', tag: 'Discovered.Country' }],
        mask: { kind: 'constant', value: 'REDACTED' },
      },
    ]);
  });

  it('parses a conditional predicate and keeps the all operator of its circumstances', async () => {
    const policy = await normalizePolicy(parsePolicyDocument(examples()[3]), GLOBAL);
    const [rule] = policy.rules;
    assert.equal(rule?.kind, 'masking');
    assert.deepEqual(rule.kind === 'masking' && rule.mask, { kind: 'hash' });
    assert.deepEqual(rule.kind === 'masking' && rule.audience, { kind: 'everyone' });
    assert.deepEqual(rule.kind === 'masking' && rule.conditionalPredicate, {
      kind: 'compare',
      op: '=',
      left: { kind: 'columnTagged', tag: 'Discovered.Country' },
      right: { kind: 'literal', value: 'USA' },
    });
    assert.equal(policy.circumstanceOperator, 'all');
  });

  it('lists the tags a document names, including @columnTagged in its WHERE clauses', async () => {
    const { references } = await analyzePolicy(parsePolicyDocument(examples()[3]), GLOBAL);
    assert.deepEqual(
      references.tags.map((t) => [t.tag, t.path.join('/')]),
      [
        ['Discovered.Passport', 'circumstances/0/columnTag'],
        ['Discovered.Country', 'circumstances/1/columnTag'],
        ['Discovered.Passport', 'actions/0/rules/0/config/fields/0/columnTag'],
        ['Discovered.Country', 'actions/0/rules/0/config/conditionalPredicate'],
      ],
    );
  });
});

describe('V2 policy documents: canonical form', () => {
  it('fills defaults, so a minimal document and its spelled-out form are the same', () => {
    const minimal = parsePolicyDocument({
      policyKey: 'anyone',
      type: 'subscription',
      actions: { type: 'anyone' },
    });
    const spelled = parsePolicyDocument({
      name: 'anyone',
      policyKey: 'anyone',
      type: 'subscription',
      staged: false,
      circumstanceOperator: 'any',
      circumstances: [],
      actions: {
        type: 'anyone',
        allowDiscovery: false,
        automaticSubscription: true,
        shareResponsibility: false,
        policyRole: 'grant',
      },
    });
    assert.equal(canonicalJson(minimal), canonicalJson(spelled));
    assert.equal(minimal.name, 'anyone', 'the name defaults to the key');
  });

  it('serialises equal documents to equal text whatever their key order', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 2 } }),
      canonicalJson({ a: { c: 2, d: [1, { y: 2, z: 1 }] }, b: 1 }),
    );
  });

  it('describes changes field by field, descending into arrays by index', () => {
    const before = parsePolicyDocument(examples()[2]) as PolicyDocument;
    const after = parsePolicyDocument({
      ...(examples()[2] as Record<string, unknown>),
      staged: true,
      actions: [
        {
          rules: [
            {
              type: 'Masking',
              exceptions: { operator: 'any', attributes: [{ name: 'auth', value: 'SOMETHING_ELSE' }] },
              config: {
                fields: [{ type: 'columnTags', columnTag: 'Discovered.Country' }],
                maskingConfig: { type: 'Null' },
              },
            },
          ],
        },
      ],
    });
    assert.deepEqual(documentChanges(before, after), [
      {
        path: 'actions[0].rules[0].config.maskingConfig.constant',
        before: 'REDACTED',
      },
      { path: 'actions[0].rules[0].config.maskingConfig.type', before: 'Constant', after: 'Null' },
      { path: 'staged', before: false, after: true },
    ]);
    assert.deepEqual(
      documentChanges(undefined, { policyKey: 'k', type: 'data' }).map((c) => c.path),
      ['policyKey', 'type'],
    );
  });
});

describe('V2 policy documents: every rule type', () => {
  it('normalizes masking types under all their names, including rounding and custom functions', async () => {
    const cases: [Record<string, unknown>, unknown][] = [
      [{ type: 'Hashing' }, { kind: 'hash' }],
      [{ type: 'Consistent Value' }, { kind: 'hash' }],
      [{ type: 'Nullify' }, { kind: 'null' }],
      [
        { type: 'Constant', constant: 0 },
        { kind: 'constant', value: '0' },
      ],
      [
        { type: 'Regex', regex: '\\d{4}$', replacement: 'XXXX' },
        { kind: 'regex', pattern: '\\d{4}$', replacement: 'XXXX', caseInsensitive: false },
      ],
      [
        { type: 'Rounding', bucketSize: 1000 },
        { kind: 'round', bucketSize: 1000 },
      ],
      [
        { type: 'Generalization', timePrecision: 'MONTH' },
        { kind: 'round', timePrecision: 'month' },
      ],
      [
        { type: 'Custom Function', expression: "left(@columnReference('email'), 3)" },
        {
          kind: 'custom',
          expression: {
            kind: 'call',
            fn: 'left',
            args: [
              { kind: 'columnReference', name: 'email' },
              { kind: 'literal', value: 3 },
            ],
          },
        },
      ],
    ];
    for (const [maskingConfig, mask] of cases) {
      const doc = parsePolicyDocument(
        dataPolicy({
          type: 'Masking',
          config: { fields: [{ type: 'columnName', columnName: 'email' }], maskingConfig },
        }),
      );
      const [rule] = (await normalizePolicy(doc, GLOBAL)).rules;
      assert.deepEqual(rule?.kind === 'masking' && rule.mask, mask, JSON.stringify(maskingConfig));
    }
  });

  it('gives an otherwise mask to everyone outside the inclusions', async () => {
    const doc = parsePolicyDocument(
      dataPolicy({
        type: 'Masking',
        inclusions: { groups: ['Employee'] },
        config: {
          fields: [
            { type: 'noTags' },
            { type: 'anyTag' },
            { type: 'columnRegex', regex: '^ssn', caseInsensitive: true },
          ],
          maskingConfig: { type: 'Null' },
          otherwise: { type: 'Hash' },
        },
      }),
    );
    const [rule] = (await normalizePolicy(doc, GLOBAL)).rules;
    assert.deepEqual(rule, {
      kind: 'masking',
      audience: { kind: 'who', condition: inGroup('Employee') },
      fields: [
        { kind: 'noTags' },
        { kind: 'anyTag' },
        { kind: 'columnRegex', regex: '^ssn', caseInsensitive: true },
      ],
      mask: { kind: 'null' },
      otherwise: { kind: 'hash' },
    });
  });

  it('normalizes row restrictions by entitlement and by custom WHERE clause', async () => {
    const byAttribute = parsePolicyDocument(
      dataPolicy({
        type: 'Row Restriction By User Entitlements',
        config: {
          fields: [{ type: 'columnTags', columnTag: 'Region' }],
          matchBy: { type: 'attribute', attribute: 'Region' },
        },
      }),
    );
    assert.deepEqual((await normalizePolicy(byAttribute, GLOBAL)).rules, [
      {
        kind: 'rowByEntitlement',
        audience: { kind: 'everyone' },
        field: { kind: 'columnTag', tag: 'Region' },
        match: { kind: 'attribute', key: 'Region' },
      },
    ]);
    const where = parsePolicyDocument(
      dataPolicy({
        type: 'Row Restriction by Custom Where Clause',
        exceptions: { purposes: ['Fraud'] },
        config: { predicate: "@attributeValuesContains('Region', @columnReference('region'))" },
      }),
    );
    const [rule] = (await normalizePolicy(where, GLOBAL)).rules;
    assert.equal(rule?.kind, 'customWhere');
    assert.deepEqual(rule.audience, { kind: 'except', condition: usingPurpose('Fraud') });
    assert.deepEqual(rule.kind === 'customWhere' && rule.where, {
      kind: 'inSubjectValues',
      value: { kind: 'columnReference', name: 'region' },
      source: { kind: 'attribute', key: 'Region' },
    });
  });

  it('defaults a time restriction to the column tagged Event Time and lowercases its unit', async () => {
    const doc = parsePolicyDocument(
      dataPolicy({ type: 'Time Restriction', config: { direction: 'newer', amount: 90, unit: 'DAY' } }),
    );
    assert.deepEqual((await normalizePolicy(doc, GLOBAL)).rules, [
      {
        kind: 'time',
        audience: { kind: 'everyone' },
        field: { kind: 'columnTag', tag: 'Event Time' },
        direction: 'newer',
        amount: 90,
        unit: 'day',
      },
    ]);
  });

  it('normalizes minimization and purpose restriction', async () => {
    const doc = parsePolicyDocument({
      policyKey: 'p',
      type: 'data',
      actions: [
        {
          rules: [
            {
              type: 'Minimization',
              config: { percent: 10, fields: [{ type: 'columnName', columnName: 'id' }] },
            },
          ],
        },
        { rules: [{ type: 'Purpose Restriction', config: { purposes: ['ANY'] } }] },
      ],
    });
    assert.deepEqual((await normalizePolicy(doc, GLOBAL)).rules, [
      {
        kind: 'minimization',
        audience: { kind: 'everyone' },
        percent: 10,
        field: { kind: 'columnName', name: 'id' },
      },
      { kind: 'purposeRestriction', audience: { kind: 'everyone' }, purposes: ['ANY'] },
    ]);
  });

  it('combines a condition tree with the groups of an exception under its operator', async () => {
    const doc = parsePolicyDocument(
      dataPolicy({
        type: 'Masking',
        exceptions: {
          operator: 'all',
          groups: ['Privacy'],
          condition: {
            or: [{ attribute: { name: 'Region', value: 'EU' } }, { not: { purpose: 'Marketing' } }],
          },
        },
        config: { fields: [{ type: 'anyTag' }], maskingConfig: { type: 'Hash' } },
      }),
    );
    const [rule] = (await normalizePolicy(doc, GLOBAL)).rules;
    assert.deepEqual(rule?.audience, {
      kind: 'except',
      condition: and(inGroup('Privacy'), or(hasAttribute('Region', 'EU'), not(usingPurpose('Marketing')))),
    });
  });

  it('converts an advanced subscription condition that only tests the user', async () => {
    const doc = parsePolicyDocument({
      policyKey: 'advanced',
      type: 'subscription',
      actions: { type: 'entitlements', advanced: "@isInGroups('A','B') AND @hasAttribute('k','v')" },
    });
    const policy = await normalizePolicy(doc, GLOBAL);
    assert.deepEqual(policy.subscription?.access, {
      kind: 'entitlements',
      condition: and(inGroup('A'), inGroup('B'), hasAttribute('k', 'v')),
    });
  });

  it('makes a guardrail of an entitlements policy with policyRole guardrail', async () => {
    const doc = parsePolicyDocument({
      policyKey: 'floor',
      type: 'subscription',
      actions: {
        type: 'entitlements',
        policyRole: 'guardrail',
        entitlements: { groups: ['Staff'] },
        shareResponsibility: true,
      },
    });
    const policy = await normalizePolicy(doc, { id: 1, scope: 'local', dataSourceId: '42' });
    assert.equal(policy.subscription?.role, 'guardrail');
    assert.equal(policy.subscription?.shareResponsibility, true);
    assert.equal(policy.dataSourceId, '42');
  });
});

describe('V2 policy documents: errors name the field', () => {
  it('refuses unknown fields with their path', () => {
    assert.deepEqual(
      rejects({
        policyKey: 'k',
        type: 'data',
        actions: [
          {
            rules: [
              {
                type: 'Masking',
                config: { fields: [{ type: 'anyTag' }], maskingConfig: { type: 'Hash', salt: 'x' } },
              },
            ],
          },
        ],
        color: 'red',
      }),
      [
        { field: 'actions[0].rules[0].config.maskingConfig.salt', detail: 'is not a known field' },
        { field: 'color', detail: 'is not a known field' },
      ],
    );
  });

  it('requires policyKey and a known type', () => {
    assert.deepEqual(rejects({ type: 'subscription', actions: { type: 'anyone' } }), [
      { field: 'policyKey', detail: 'is required' },
    ]);
    assert.deepEqual(rejects({ policyKey: 'k', type: 'project' }), [
      { field: 'type', detail: 'must be "subscription" or "data"' },
    ]);
    assert.deepEqual(
      rejects({ policyKey: 'x'.repeat(201), type: 'subscription', actions: { type: 'anyone' } }).map(
        (e) => e.field,
      ),
      ['policyKey'],
    );
  });

  it('says which reference features Steward does not support', () => {
    const fpe = rejects(
      dataPolicy({
        type: 'Masking',
        config: { fields: [{ type: 'anyTag' }], maskingConfig: { type: 'Format Preserving Masking' } },
      }),
    );
    assert.deepEqual(fpe, [
      {
        field: 'actions[0].rules[0].config.maskingConfig.type',
        detail: '"Format Preserving Masking" is not supported by Steward',
      },
    ]);
    for (const type of ['K-Anonymization', 'Randomized Response', 'Reversible']) {
      const [error] = rejects(
        dataPolicy({ type: 'Masking', config: { fields: [{ type: 'anyTag' }], maskingConfig: { type } } }),
      );
      assert.match(error!.detail, /is not supported by Steward/, type);
    }
    const [dp] = rejects(dataPolicy({ type: 'differentialPrivacy', config: {} }));
    assert.deepEqual(dp, {
      field: 'actions[0].rules[0].type',
      detail: '"differentialPrivacy" is not supported by Steward',
    });
    const [time] = rejects({
      policyKey: 'k',
      type: 'data',
      circumstances: [{ type: 'time' }],
      actions: [{ rules: [{ type: 'Purpose Restriction', config: { purposes: ['ANY'] } }] }],
    });
    assert.equal(time?.field, 'circumstances[0].type');
    const [owners] = rejects({
      policyKey: 'k',
      type: 'subscription',
      ownerRestrictions: { groups: ['x'] },
      actions: { type: 'anyone' },
    });
    assert.equal(owners?.field, 'ownerRestrictions');
    const [unknown] = rejects(dataPolicy({ type: 'Masquerade', config: {} }));
    assert.match(unknown!.detail, /^must be one of "Masking"/);
  });

  it('refuses exceptions together with inclusions, and otherwise without inclusions', () => {
    assert.deepEqual(
      rejects(
        dataPolicy({
          type: 'Masking',
          exceptions: { groups: ['A'] },
          inclusions: { groups: ['B'] },
          config: { fields: [{ type: 'anyTag' }], maskingConfig: { type: 'Hash' } },
        }),
      ),
      [{ field: 'actions[0].rules[0].inclusions', detail: 'give either exceptions or inclusions' }],
    );
    assert.deepEqual(
      rejects(
        dataPolicy({
          type: 'Masking',
          config: {
            fields: [{ type: 'anyTag' }],
            maskingConfig: { type: 'Hash' },
            otherwise: { type: 'Null' },
          },
        }),
      ).map((e) => e.field),
      ['actions[0].rules[0].config.otherwise'],
    );
  });

  it('checks the shape of subscription actions', () => {
    assert.deepEqual(rejects({ policyKey: 'k', type: 'subscription', actions: { type: 'approval' } }), [
      { field: 'actions.approvals', detail: 'is required with type approval' },
    ]);
    assert.deepEqual(
      rejects({ policyKey: 'k', type: 'subscription', actions: { type: 'anyone', policyRole: 'guardrail' } }),
      [{ field: 'actions.policyRole', detail: 'a guardrail must have type entitlements' }],
    );
    assert.deepEqual(
      rejects({ policyKey: 'k', type: 'subscription', actions: { type: 'entitlements' } }).map(
        (e) => e.field,
      ),
      ['actions.entitlements'],
    );
    assert.deepEqual(
      rejects({ policyKey: 'k', type: 'subscription', actions: ['anyone'] }).map((e) => e.field),
      ['actions'],
    );
    assert.deepEqual(
      rejects({
        policyKey: 'k',
        type: 'subscription',
        actions: { type: 'entitlements', entitlements: { operator: 'any' } },
      }).map((e) => e.field),
      ['actions.entitlements'],
    );
  });

  it('checks values: percents, regular expressions, rounding and condition trees', () => {
    assert.deepEqual(
      rejects(dataPolicy({ type: 'Minimization', config: { percent: 0 } })).map((e) => e.field),
      ['actions[0].rules[0].config.percent'],
    );
    assert.deepEqual(
      rejects(dataPolicy({ type: 'Minimization', config: { percent: 101 } })).map((e) => e.field),
      ['actions[0].rules[0].config.percent'],
    );
    assert.deepEqual(
      rejects(
        dataPolicy({
          type: 'Masking',
          config: { fields: [{ type: 'columnRegex', regex: '(' }], maskingConfig: { type: 'Hash' } },
        }),
      ),
      [{ field: 'actions[0].rules[0].config.fields[0].regex', detail: 'is not a valid regular expression' }],
    );
    assert.deepEqual(
      rejects(
        dataPolicy({
          type: 'Masking',
          config: { fields: [{ type: 'anyTag' }], maskingConfig: { type: 'Rounding' } },
        }),
      ).map((e) => e.field),
      ['actions[0].rules[0].config.maskingConfig.bucketSize'],
    );
    assert.deepEqual(
      rejects(
        dataPolicy({
          type: 'Masking',
          exceptions: { condition: { group: 'A', purpose: 'B' } },
          config: { fields: [{ type: 'anyTag' }], maskingConfig: { type: 'Hash' } },
        }),
      ).map((e) => e.field),
      ['actions[0].rules[0].exceptions.condition'],
    );
    assert.deepEqual(
      rejects(
        dataPolicy({
          type: 'Row Restriction By User Entitlements',
          config: { fields: [], matchBy: { type: 'groups' } },
        }),
      ).map((e) => e.field),
      ['actions[0].rules[0].config.fields'],
    );
    assert.deepEqual(
      rejects(
        dataPolicy({
          type: 'Masking',
          config: { fields: [{ type: 'columnTags', columnTag: 'a..b' }], maskingConfig: { type: 'Hash' } },
        }),
      ).map((e) => e.field),
      ['actions[0].rules[0].config.fields[0].columnTag'],
    );
  });

  it('names the field of a WHERE clause that does not parse', async () => {
    const doc = parsePolicyDocument(
      dataPolicy({
        type: 'Row Restriction by Custom Where Clause',
        config: { predicate: 'region = (SELECT 1); DROP TABLE x' },
      }),
    );
    const errors = await rejectsAsync(() => normalizePolicy(doc, GLOBAL), 'POLICY_WHERE_INVALID');
    assert.deepEqual(
      errors.map((e) => e.field),
      ['actions[0].rules[0].config.predicate'],
    );
  });

  it('refuses an advanced subscription condition that reads rows', async () => {
    const doc = parsePolicyDocument({
      policyKey: 'k',
      type: 'subscription',
      actions: { type: 'entitlements', advanced: "@isInGroups('A') AND region = 'EU'" },
    });
    const errors = await rejectsAsync(() => normalizePolicy(doc, GLOBAL), 'POLICY_INVALID');
    assert.equal(errors[0]?.field, 'actions.advanced');
    assert.match(errors[0]!.detail, /only test the user/);
  });

  it('refuses circumstances on a local policy', async () => {
    const doc = parsePolicyDocument(examples()[3]);
    const errors = await rejectsAsync(
      () => normalizePolicy(doc, { id: 1, scope: 'local', dataSourceId: '9' }),
      'POLICY_INVALID',
    );
    assert.deepEqual(
      errors.map((e) => e.field),
      ['circumstances'],
    );
  });
});
