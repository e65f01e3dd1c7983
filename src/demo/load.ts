import type { PGlite } from '@electric-sql/pglite';
import { DEMO_PEOPLE } from './demo-people.ts';
import { generateDemoData } from './generate.ts';
import type { DemoData } from './rows.ts';
import { DEMO_SCHEMAS, DEMO_TABLES, type DemoTable } from './schema.ts';

// Identifiers here come only from the constants in schema.ts and the demo people's usernames; they are
// checked to be plain lower-case names, which PostgreSQL reads the same quoted or not. Values travel as
// parameters or COPY data, and comments are quoted by PostgreSQL's own format('%I', '%L').

const ident = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(`demo identifier ${JSON.stringify(name)} is not a plain name`);
  return name;
};
const qualified = (t: DemoTable): string => `${ident(t.schema)}.${ident(t.name)}`;

/** Returns the DDL creating a demo table and its indexes. */
export function createTableSql(t: DemoTable): string {
  const lines = [...t.columns.map((c) => `${ident(c.name)} ${c.type}`), ...t.constraints];
  const indexes = t.indexes.map((c) => `CREATE INDEX ON ${qualified(t)} (${ident(c)});`);
  return [`CREATE TABLE ${qualified(t)} (\n  ${lines.join(',\n  ')}\n);`, ...indexes].join('\n');
}

const COMMENTS_SQL = `SELECT string_agg(
  CASE
    WHEN t IS NULL THEN format('COMMENT ON SCHEMA %I IS %L;', s, d)
    WHEN c IS NULL THEN format('COMMENT ON TABLE %I.%I IS %L;', s, t, d)
    ELSE format('COMMENT ON COLUMN %I.%I.%I IS %L;', s, t, c, d)
  END, E'\\n') AS sql
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(s, t, c, d)`;

const commentTargets = (): (string | null)[][] => {
  const rows: (string | null)[][] = DEMO_SCHEMAS.map((s) => [s.name, null, null, s.comment]);
  for (const t of DEMO_TABLES) {
    rows.push([t.schema, t.name, null, t.comment]);
    for (const c of t.columns) rows.push([t.schema, t.name, c.name, c.comment]);
  }
  // unnest takes one array per column.
  return [0, 1, 2, 3].map((i) => rows.map((r) => r[i] ?? null));
};

/** The non-superuser role that owns the demo schemas and tables, so Steward's service role can govern them. */
export const DEMO_OWNER = 'demo_owner';

/**
 * Returns the SQL creating the demo's database roles (unless they exist): the owner of the demo
 * tables, and one NOLOGIN role per demo person, named by their username, so that `SET ROLE alice`
 * queries as Alice does.
 */
export function demoRolesSql(): string {
  return [DEMO_OWNER, ...DEMO_PEOPLE.map((p) => p.username)]
    .map(ident)
    .map(
      (role) =>
        `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} NOLOGIN; END IF; END $$;`,
    )
    .join('\n');
}

/** Returns the SQL handing the demo tables to their owner and letting every demo person read them. */
export function demoGrantsSql(): string {
  const people = DEMO_PEOPLE.map((p) => ident(p.username)).join(', ');
  const schemas = DEMO_SCHEMAS.map((s) => ident(s.name)).join(', ');
  return [
    ...DEMO_TABLES.map((t) => `ALTER TABLE ${qualified(t)} OWNER TO ${DEMO_OWNER};`),
    `GRANT USAGE ON SCHEMA ${schemas} TO ${people};`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA ${schemas} TO ${people};`,
  ].join('\n');
}

/**
 * Creates the `sales` and `hr` schemas with their tables, keys, indexes and comments, and loads the
 * demo rows with COPY, all in one transaction. The schemas and tables belong to `demo_owner`, and each
 * demo person's role may read them. Fails, changing nothing, if either schema exists.
 */
export async function loadDemoData(
  pglite: PGlite,
  data: DemoData = generateDemoData(),
): Promise<{ tables: number; rows: number }> {
  return pglite.transaction(async (tx) => {
    const ddl = [
      demoRolesSql(),
      ...DEMO_SCHEMAS.map((s) => `CREATE SCHEMA ${ident(s.name)} AUTHORIZATION ${DEMO_OWNER};`),
      ...DEMO_TABLES.map(createTableSql),
    ];
    await tx.exec(ddl.join('\n'));
    let rows = 0;
    for (const t of DEMO_TABLES) {
      const columns = t.columns.map((c) => ident(c.name)).join(', ');
      await tx.query(`COPY ${qualified(t)} (${columns}) FROM '/dev/blob' WITH (FORMAT csv)`, [], {
        blob: new Blob([t.csv(data)]),
      });
      // Rows carry explicit ids: move each identity past them so later inserts get fresh ones.
      await tx.query(
        `SELECT setval(pg_get_serial_sequence($1, 'id'), (SELECT max(id) FROM ${qualified(t)}))`,
        [qualified(t)],
      );
      rows += t.rowCount(data);
    }
    const comments = await tx.query<{ sql: string }>(COMMENTS_SQL, commentTargets());
    await tx.exec(comments.rows[0]!.sql);
    await tx.exec(demoGrantsSql());
    await tx.exec(`ANALYZE ${DEMO_TABLES.map(qualified).join(', ')};`);
    return { tables: DEMO_TABLES.length, rows };
  });
}
