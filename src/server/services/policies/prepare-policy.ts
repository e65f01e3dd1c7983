import { sql } from 'kysely';
import { type FieldError, fieldError } from '../../../errors/index.ts';
import type { PlanTarget } from '../../../policy/access-plan.ts';
import {
  analyzePolicy,
  type PolicyDocument,
  type PolicyIdentity,
  type PolicyReferences,
  policyInvalid,
} from '../../../policy/document.ts';
import type { Policy } from '../../../policy/policy.ts';
import { lookupTables, resolveColumns } from '../../../policy/where/lookups.ts';
import type { Db } from '../../../store/schema.ts';

/** A document ready to store: its canonical form and its IR, checked against the store. */
export interface PreparedPolicy {
  readonly document: PolicyDocument;
  readonly policy: Policy;
}

async function missingTags(db: Db, refs: PolicyReferences): Promise<FieldError[]> {
  const names = [...new Set(refs.tags.map((t) => t.tag))];
  if (names.length === 0) return [];
  // A tag exists when it or a tag below it does: `PII` is there once `PII.Email` is.
  const rows = await db
    .selectFrom('tags')
    .select('name')
    .where((eb) =>
      eb.or(
        names.flatMap((n) => [eb('name', '=', n), eb('name', 'like', `${n.replace(/[\\%_]/g, '\\$&')}.%`)]),
      ),
    )
    .execute();
  const known = new Set(names.filter((n) => rows.some((r) => r.name === n || r.name.startsWith(`${n}.`))));
  return refs.tags
    .filter((t) => !known.has(t.tag))
    .map((t) => fieldError('body', t.path, `there is no tag ${JSON.stringify(t.tag)}`));
}

async function localProblems(db: Db, refs: PolicyReferences, target: PlanTarget): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const names = new Set(target.columns.map((c) => c.name));
  for (const c of refs.columns) {
    if (!names.has(c.name)) {
      errors.push(
        fieldError('body', c.path, `data source ${target.id} has no column ${JSON.stringify(c.name)}`),
      );
    }
  }
  for (const { path, expr } of refs.expressions) {
    const resolved = resolveColumns(expr, target);
    if (!resolved.ok) errors.push(fieldError('body', path, `${resolved.reason} in data source ${target.id}`));
    for (const lookup of lookupTables(expr)) {
      const found = await db
        .selectFrom('data_objects')
        .select('id')
        .where('connection_key', '=', target.connectionKey)
        .where('kind', '=', 'table')
        .where('state', '=', 'active')
        .where(
          'path',
          '=',
          sql<string[]>`${[target.connectionKey, target.database, lookup.schema, lookup.table]}::text[]`,
        )
        .executeTakeFirst();
      if (!found) {
        errors.push(
          fieldError(
            'body',
            path,
            `the lookup table ${lookup.schema}.${lookup.table} is not a table of connection ${target.connectionKey} (database ${target.database})`,
          ),
        );
      }
    }
  }
  return errors;
}

/**
 * Normalizes a parsed document and checks it against the store: every tag it names exists; for a local
 * policy (`target` is its data source) every column it names exists there and every lookup table is a
 * crawled table of the same connection and database. Throws POLICY_INVALID naming each offending
 * field, or POLICY_WHERE_INVALID for a WHERE clause that does not parse.
 */
export async function preparePolicy(
  db: Db,
  document: PolicyDocument,
  identity: PolicyIdentity,
  target?: PlanTarget,
): Promise<PreparedPolicy> {
  const { policy, references } = await analyzePolicy(document, identity);
  const errors = [
    ...(await missingTags(db, references)),
    ...(target ? await localProblems(db, references, target) : []),
  ];
  if (errors.length > 0) throw policyInvalid(errors);
  return { document, policy };
}
