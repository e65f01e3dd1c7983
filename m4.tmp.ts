import pg from 'pg';
import { BUILTIN_IDENTIFIERS } from './src/discovery/builtin-identifiers.ts';
const c = new pg.Client({host:'127.0.0.1',user:'postgres',database:'postgres'}); await c.connect();
await c.query(`CREATE TEMP TABLE t AS SELECT CASE i%8 WHEN 0 THEN 'user'||i||'@example.com' WHEN 1 THEN '(555) 234-'||(1000+i%9000) WHEN 2 THEN '4111111111111111' WHEN 3 THEN '123-45-'||(1000+i%9000) WHEN 4 THEN '10.0.'||(i%255)||'.'||(i%200) WHEN 5 THEN '2020-01-1'||(i%9) WHEN 6 THEN 'John Smith' ELSE 'lorem ipsum '||i END AS a, 'x'||i AS b, 'order '||i||' note' AS c FROM generate_series(1,13000) i`);
const ids = BUILTIN_IDENTIFIERS.filter(i=>i.kind==='valueRegex');
const cs = ids.filter(i=>!i.caseInsensitive).map(i=>i.pattern.slice(1,-1));
const ci = ids.filter(i=>i.caseInsensitive).map(i=>i.pattern.slice(1,-1));
const combCs = `^(?:${cs.join('|')})$`; const combCi = `^(?:${ci.join('|')})$`;
console.log(cs.length, ci.length, combCs.length);
const pats = ids.map(i=>i.pattern); const cis = ids.map(i=>i.caseInsensitive);
const q = `WITH s AS MATERIALIZED (SELECT a,b,c FROM t LIMIT 13000), v AS MATERIALIZED (SELECT x.col, x.val FROM s CROSS JOIN LATERAL (VALUES (0,a),(1,b),(2,c)) x(col,val) WHERE x.val IS NOT NULL),
 m AS MATERIALIZED (SELECT col, val FROM v WHERE val ~ $3 OR val ~* $4)
 SELECT p.ord, h.col, h.hits FROM unnest($1::text[], $2::boolean[]) WITH ORDINALITY p(pat, ci, ord) CROSS JOIN LATERAL (SELECT m.col, count(*) FILTER (WHERE CASE WHEN p.ci THEN m.val ~* p.pat ELSE m.val ~ p.pat END) hits FROM m GROUP BY m.col) h`;
for (let r=0;r<3;r++){ const t=Date.now(); const res = await c.query(q,[pats,cis,combCs,combCi]); console.log(res.rows.length, Date.now()-t,'ms'); }
for (let r=0;r<2;r++){ const t=Date.now(); const res = await c.query(`SELECT count(*) FILTER (WHERE b ~ $1 OR b ~* $2), count(*) FILTER (WHERE c ~ $1 OR c ~* $2) FROM t`,[combCs,combCi]); console.log('noise prefilter only', res.rows[0], Date.now()-t,'ms'); }
await c.end();
