import pg from 'pg';
import { BUILTIN_IDENTIFIERS } from './src/discovery/builtin-identifiers.ts';
const c = new pg.Client({host:'127.0.0.1',user:'postgres',database:'postgres'}); await c.connect();
await c.query(`CREATE TEMP TABLE t AS SELECT CASE i%8 WHEN 0 THEN 'user'||i||'@example.com' WHEN 1 THEN '(555) 234-'||(1000+i%9000) WHEN 2 THEN '4111111111111111' WHEN 3 THEN '123-45-'||(1000+i%9000) WHEN 4 THEN '10.0.'||(i%255)||'.'||(i%200) WHEN 5 THEN '2020-01-1'||(i%9) WHEN 6 THEN 'John Smith' ELSE 'lorem ipsum '||i END AS a, 'x'||i AS b, 'y'||i||'@ex.com' AS c FROM generate_series(1,13000) i`);
const ids = BUILTIN_IDENTIFIERS.filter(i=>i.kind==='valueRegex');
const pats = ids.map(i=>i.pattern); const ci = ids.map(i=>i.caseInsensitive);
console.log('patterns', pats.length);
for (const q of [
`WITH s AS MATERIALIZED (SELECT a,b,c FROM t LIMIT 13000), v AS MATERIALIZED (SELECT x.col, x.val FROM s CROSS JOIN LATERAL (VALUES (0,a),(1,b),(2,c)) x(col,val) WHERE x.val IS NOT NULL)
 SELECT p.ord, h.col, h.hits FROM unnest($1::text[], $2::boolean[]) WITH ORDINALITY p(pat, ci, ord) CROSS JOIN LATERAL (SELECT v.col, count(*) FILTER (WHERE CASE WHEN p.ci THEN v.val ~* p.pat ELSE v.val ~ p.pat END) hits FROM v GROUP BY v.col) h`,
]) {
  for (let r=0;r<3;r++){ const t=Date.now(); const res = await c.query(q,[pats,ci]); console.log(res.rows.length, Date.now()-t,'ms'); }
}
// per-row variant (column-major) to show cache thrash
const cols = pats.map((p,j)=>`count(*) FILTER (WHERE a ~ $${j+1})`).join(',');
for (let r=0;r<2;r++){ const t=Date.now(); await c.query(`SELECT ${cols} FROM t`, pats); console.log('row-major', Date.now()-t,'ms'); }
const cols2 = pats.slice(0,30).map((p,j)=>`count(*) FILTER (WHERE a ~ $${j+1})`).join(',');
for (let r=0;r<2;r++){ const t=Date.now(); await c.query(`SELECT ${cols2} FROM t`, pats.slice(0,30)); console.log('row-major 30', Date.now()-t,'ms'); }
await c.end();
