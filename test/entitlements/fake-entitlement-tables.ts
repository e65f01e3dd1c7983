import type { FakeStatement, SubmittedStatement } from '../platforms/databricks/fake-warehouse.ts';

/** Rows of the simulated `<catalog>.entitlements.*` tables, by table name (duplicates allowed, as in Delta). */
export type SimulatedTables = Map<string, string[][]>;

const SELECT =
  /^SELECT (?<list>.+?) FROM `steward`\.`entitlements`\.`(?<table>\w+)`(?: WHERE (?<where>.+))? ORDER BY (?<order>.+) LIMIT (?<limit>\d+)$/;
const MERGE =
  /^MERGE INTO `steward`\.`entitlements`\.`(?<table>\w+)` AS t USING \(SELECT inline\(from_json\(:rows, '(?<schema>[^']+)'\)\)\) AS s ON (?<on>.+?) (?<when>WHEN MATCHED THEN DELETE|WHEN NOT MATCHED THEN INSERT \((?<insert>[^)]+)\) VALUES \((?<values>[^)]+)\))$/;

const columnsOf = (list: string) => list.split(', ').map((c) => /^`(\w+)`$/.exec(c)![1]!);

/** Orders rows as Databricks orders strings: by UTF-8 bytes, column after column. */
function compareRows(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = Buffer.compare(Buffer.from(a[i]!, 'utf8'), Buffer.from(b[i]!, 'utf8'));
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * A statement handler for the simulated warehouse that keeps the four entitlement tables in memory and
 * understands exactly the statements entitlement sync sends: keyset-paged SELECTs and MERGEs whose rows
 * arrive as the JSON parameter `:rows`. Anything else is left to fail as unknown SQL, so a changed
 * statement shape fails the test rather than being half-understood.
 */
export function simulateEntitlementTables(tables: SimulatedTables) {
  return (body: SubmittedStatement): FakeStatement | undefined => {
    const params = new Map((body.parameters ?? []).map((p) => [p.name, p.value ?? null]));
    const select = SELECT.exec(body.statement)?.groups;
    if (select) {
      const columns = columnsOf(select['list']!);
      if (select['order'] !== select['list']) return undefined;
      const rows = [...(tables.get(select['table']!) ?? [])].sort(compareRows);
      const key = select['where'] ? columns.map((_, i) => params.get(`k${i}`)!) : undefined;
      const page = rows.filter((r) => !key || compareRows(r, key) > 0).slice(0, Number(select['limit']));
      return { columns: columns.map((name) => ({ name, type_name: 'STRING' })), rows: page, pendingPolls: 0 };
    }
    const merge = MERGE.exec(body.statement)?.groups;
    if (merge) {
      const table = tables.get(merge['table']!) ?? [];
      const fields = [...merge['schema']!.matchAll(/`(\w+)`: STRING/g)].map((m) => m[1]!);
      const batch = (JSON.parse(params.get('rows')!) as Array<Record<string, string>>).map((o) =>
        fields.map((f) => o[f]!),
      );
      const keys = new Set(batch.map((r) => JSON.stringify(r)));
      if (merge['insert']) {
        const held = new Set(table.map((r) => JSON.stringify(r)));
        for (const row of batch) if (!held.has(JSON.stringify(row))) table.push(row);
        tables.set(merge['table']!, table);
      } else {
        tables.set(
          merge['table']!,
          table.filter((r) => !keys.has(JSON.stringify(r))),
        );
      }
      return {
        columns: [{ name: 'num_affected_rows', type_name: 'BIGINT' }],
        rows: [[String(batch.length)]],
        pendingPolls: 0,
      };
    }
    return undefined;
  };
}
