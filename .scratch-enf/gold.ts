import { conditionSql, rowExprSql, maskSql, type ExprContext } from '../src/platforms/postgres/compile-expr.ts';
import * as C from '../src/policy/condition.ts';
import * as R from '../src/policy/row-expr.ts';
const ctx: ExprContext = { stewardSchema: 's', dataSourceId: '42', table: 'customers', families: new Map([['id','integer'],['email','text'],['region','text'],['salary','integer'],['balance','numeric'],['born','date'],['signed_up','timestamp'],['score','float']] as const) };
const conds: [string, C.Condition][] = [
 ['always', C.ALWAYS], ['never', C.NEVER], ['inGroup', C.inGroup("O'Neil")], ['hasAttribute', C.hasAttribute('Region','EU')], ['hasAttributeKey', C.hasAttributeKey('Region')], ['usingPurpose', C.usingPurpose('Fraud')], ['subscribed', C.SUBSCRIBED],
 ['and/or/not', C.and(C.inGroup('A'), C.or(C.inGroup('B'), C.not(C.usingPurpose('P'))))],
];
for (const [n, c] of conds) console.log(n, '=>', conditionSql(c, ctx));
const col = R.column;
const exprs: [string, R.RowExpr][] = [
 ['column', col('Region "x"')],
 ['literal string', R.literal("it's")], ['literal backslash', R.literal('a\\b')], ['literal int', R.literal(42)], ['literal negative decimal', R.literal(-1.5)], ['literal true', R.literal(true)], ['literal null', R.literal(null)],
 ['username', { kind: 'username' }],
 ['subject', R.subjectFact(C.inGroup('HR'))],
 ['inSubjectValues text column', R.inSubjectValues(col('region'), { kind: 'attribute', key: 'Region' })],
 ['inSubjectValues integer column', R.inSubjectValues(col('id'), { kind: 'groups' })],
 ['inSubjectValues placeholder purposes', R.inSubjectValues(col('region'), { kind: 'purposes' }, 'none')],
 ['compare', R.compare('>=', col('salary'), R.literal(1000))],
 ['inList', { kind: 'inList', value: col('region'), items: [R.literal('EU'), R.literal('US')], negated: true }],
 ['inList empty', { kind: 'inList', value: col('region'), items: [], negated: false }],
 ['isNull', { kind: 'isNull', value: col('email'), negated: false }],
 ['like', { kind: 'like', value: col('email'), pattern: R.literal('%@corp.example'), caseInsensitive: true, negated: false }],
 ['not like', { kind: 'like', value: col('email'), pattern: R.literal('a%'), caseInsensitive: false, negated: true }],
 ['and/or/not', R.andRows(R.compare('=', col('region'), R.literal('EU')), R.notRow(R.orRows({ kind: 'isNull', value: col('email'), negated: true }, R.literal(false))))],
 ['arith', { kind: 'arith', op: '%', left: col('salary'), right: R.literal(7) }],
 ['concat', { kind: 'concat', items: [col('region'), R.literal('-'), col('email')] }],
 ['call', { kind: 'call', fn: 'lower', args: [col('email')] }],
 ['cast timestamp', { kind: 'cast', value: col('born'), type: 'timestamp' }],
 ['inLookup', { kind: 'inLookup', value: col('region'), schema: 'ref', table: 'allowed', column: 'region', filter: R.compare('=', { kind: 'lookupColumn', name: 'owner' }, { kind: 'username' }), negated: false }],
 ['inLookup own column', { kind: 'inLookup', value: col('id'), schema: 'ref', table: 'customers', column: 'id', filter: R.compare('=', { kind: 'lookupColumn', name: 'region' }, col('region')), negated: true }],
 ['sample', { kind: 'sample', percent: 12.345, key: col('id') }],
 ['timeWindow newer', { kind: 'timeWindow', column: col('signed_up'), direction: 'newer', amount: 30, unit: 'day' }],
 ['timeWindow older quarter', { kind: 'timeWindow', column: col('signed_up'), direction: 'older', amount: 2, unit: 'quarter' }],
];
for (const [n, e] of exprs) console.log(n, '=>', rowExprSql(e, ctx));
const v = '"c"';
const masks: [string, any, any][] = [
 ['hash', { kind: 'hash' }, 'text'], ['null', { kind: 'null' }, 'integer'], ['constant', { kind: 'constant', value: 'REDACTED' }, 'text'],
 ['regex', { kind: 'regex', pattern: '\\d', replacement: '#', caseInsensitive: false }, 'text'],
 ['regex ci', { kind: 'regex', pattern: '[a-z]', replacement: 'x', caseInsensitive: true }, 'text'],
 ['round int', { kind: 'roundNumber', bucket: 1000 }, 'integer'], ['round int frac', { kind: 'roundNumber', bucket: 0.5 }, 'integer'], ['round numeric', { kind: 'roundNumber', bucket: 100 }, 'numeric'],
 ['trunc date', { kind: 'truncateTime', unit: 'year' }, 'date'], ['trunc ts', { kind: 'truncateTime', unit: 'month' }, 'timestamp'],
 ['custom', { kind: 'custom', expression: { kind: 'concat', items: [{ kind: 'call', fn: 'left', args: [col('email'), R.literal(2)] }, R.literal('***')] } }, 'text'],
];
for (const [n, m, f] of masks) console.log(n, '=>', maskSql(m, v, f, ctx));
