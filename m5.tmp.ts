import pg from 'pg';
import { BUILTIN_IDENTIFIERS } from './src/discovery/builtin-identifiers.ts';
const c = new pg.Client({host:'127.0.0.1',user:'postgres',database:'postgres'}); await c.connect();
await c.query(`CREATE TEMP TABLE t AS SELECT CASE i%8 WHEN 0 THEN 'user'||i||'@example.com' WHEN 1 THEN '(555) 234-'||(1000+i%9000) WHEN 2 THEN '4111111111111111' WHEN 3 THEN '123-45-'||(1000+i%9000) WHEN 4 THEN '10.0.'||(i%255)||'.'||(i%200) WHEN 5 THEN '2020-01-1'||(i%9) WHEN 6 THEN 'John Smith' ELSE 'lorem ipsum '||i END AS a FROM generate_series(1,13000) i`);
const ids = BUILTIN_IDENTIFIERS.filter(i=>i.kind==='valueRegex');
const out=[];
for (const id of ids) { await c.query(`SELECT count(*) FILTER (WHERE a ${id.caseInsensitive?'~*':'~'} $1) FROM t`,[id.pattern]); const t=process.hrtime.bigint(); await c.query(`SELECT count(*) FILTER (WHERE a ${id.caseInsensitive?'~*':'~'} $1) FROM t`,[id.pattern]); out.push([id.id, Number(process.hrtime.bigint()-t)/1e6/13000*1e6]); }
out.sort((a,b)=>b[1]-a[1]); console.log(out.map(o=>`${o[0]} ${o[1].toFixed(0)}ns`).join('\n'));
await c.end();
