import { BUILTIN_IDENTIFIERS } from './src/discovery/builtin-identifiers.ts';
import { VALIDATORS } from './src/discovery/validators.ts';
const vals: string[] = [];
for (let i = 0; i < 200000; i++) {
  const k = i % 8;
  vals.push(k===0?`user${i}@example.com`:k===1?`(555) 23${i%10}-${String(1000+i%9000)}`:k===2?`4111111111111111`:k===3?`123-45-${String(1000+i%9000)}`:k===4?`10.0.${i%255}.${i%200}`:k===5?`2020-0${1+i%9}-1${i%9}`:k===6?`John Smith`:`lorem ipsum ${i}`);
}
const value = BUILTIN_IDENTIFIERS.filter(i=>i.kind!=='columnName');
const tests = value.map(id => {
  if (id.kind==='dictionary') { const s=new Set((id.values??[]).map(v=>id.caseInsensitive?v.toLowerCase():v)); return id.caseInsensitive? (v:string)=>s.has(v.toLowerCase()) : (v:string)=>s.has(v); }
  const re = new RegExp(id.pattern, id.caseInsensitive?'i':'');
  const val = id.validator? VALIDATORS[id.validator]: undefined;
  return val? (v:string)=>re.test(v)&&val(v) : (v:string)=>re.test(v);
});
// per-identifier timing
const per = value.map((id,j)=>{const t=process.hrtime.bigint(); let h=0; for (const v of vals) if (tests[j]!(v)) h++; return [id.id, Number(process.hrtime.bigint()-t)/1e6/vals.length*1e6] as const;});
per.sort((a,b)=>b[1]-a[1]); console.log(per.slice(0,12).map(p=>`${p[0]} ${p[1].toFixed(0)}ns`).join('\n'));
for (let r=0;r<3;r++){
const t=process.hrtime.bigint(); let hits=0;
for (const v0 of vals) { const v=v0.trim(); for (let j=0;j<tests.length;j++) if (tests[j]!(v)) hits++; }
const ms=Number(process.hrtime.bigint()-t)/1e6;
console.log(hits, (vals.length/ms*1000/1e6).toFixed(2),'M values/s');
}
