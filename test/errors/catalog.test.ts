import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERROR_CATALOG } from '../../src/errors/index.ts';

describe('the error catalogue', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = new Map(
    [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| (.+) \|$/gm)].map((m) => [
      m[1]!,
      { status: Number(m[2]), title: m[3]! },
    ]),
  );

  it('is documented in docs/errors.md, code by code, with the same status and title', () => {
    assert.deepEqual([...rows.keys()].sort(), Object.keys(ERROR_CATALOG).sort());
    for (const [code, entry] of Object.entries(ERROR_CATALOG)) {
      assert.deepEqual(rows.get(code), { status: entry.status, title: entry.title }, code);
    }
  });

  it('prefixes every code with its area', () => {
    const areas = [
      'REQUEST_',
      'ROUTE_',
      'AUTH_',
      'USER_',
      'GROUP_',
      'TAG_',
      'POLICY_',
      'PURPOSE_',
      'ACCESS_',
      'QUERY_',
      'DATASOURCE_',
      'DOMAIN_',
      'SDD_',
      'APIKEY_',
      'JOB_',
      'CONN_',
      'INTEGRATION_',
      'TECHNOLOGY_',
      'OBJECT_',
      'PLATFORM_',
      'AUDIT_',
      'SECRET_',
      'STORE_',
      'SERVICE_',
      'INTERNAL',
    ];
    for (const code of Object.keys(ERROR_CATALOG)) {
      assert.ok(
        areas.some((a) => code.startsWith(a)),
        code,
      );
    }
  });
});
