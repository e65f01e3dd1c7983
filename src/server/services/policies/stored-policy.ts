import { normalizePolicy, type PolicyDocument } from '../../../policy/document.ts';
import type { Policy } from '../../../policy/policy.ts';
import type { PolicyRow } from './policy-view.ts';

/**
 * Returns the IR of a stored policy row, or undefined when its document no longer normalizes (stored
 * by an older Steward, or naming something since removed): such a policy counts as applying nowhere.
 */
export async function storedPolicy(
  row: Pick<PolicyRow, 'id' | 'scope' | 'data_source_id' | 'document'>,
): Promise<Policy | undefined> {
  try {
    return await normalizePolicy(row.document as PolicyDocument, {
      id: row.id,
      scope: row.scope,
      ...(row.data_source_id !== null ? { dataSourceId: String(row.data_source_id) } : {}),
    });
  } catch {
    return undefined;
  }
}
