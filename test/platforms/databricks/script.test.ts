import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AppError } from '../../../src/errors/index.ts';
import { databricksPlatform, PRINCIPAL_PLACEHOLDER } from '../../../src/platforms/databricks/index.ts';
import type { ScriptKind } from '../../../src/platforms/platform.ts';
import { CLIENT_ID, CLIENT_SECRET, PAT } from './payloads.ts';

const FIXTURES = new URL('../../fixtures/databricks/', import.meta.url);

const tokenConfig = {
  workspaceUrl: 'https://dbc-1234.cloud.databricks.com',
  httpPath: 'sql/1.0/warehouses/abc123',
  authenticationType: 'token',
  token: PAT,
  catalog: 'steward',
};
const oauthConfig = {
  workspaceUrl: 'dbc-1234.cloud.databricks.com',
  httpPath: '/sql/1.0/warehouses/abc123',
  authenticationType: 'oAuthM2M',
  oAuthClientConfig: {
    useCertificate: false,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    scope: 'all-apis',
  },
  catalog: 'steward',
  audit: { enabled: true },
};

const GOLDEN: ReadonlyArray<[string, Record<string, unknown>, ScriptKind]> = [
  ['create-oauth-audit.sql', oauthConfig, 'create'],
  ['create-token.sql', tokenConfig, 'create'],
  ['cleanup-oauth-audit.sql', oauthConfig, 'cleanup'],
  ['delete-token.sql', tokenConfig, 'delete'],
];

describe('Databricks integration scripts (golden files, not executed: Databricks cannot run here)', () => {
  for (const [file, config, kind] of GOLDEN) {
    it(`writes the ${kind} script exactly as ${file}`, () => {
      const script = databricksPlatform.integrationScript(config, kind);
      const url = new URL(file, FIXTURES);
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(url, script);
      assert.equal(script, readFileSync(url, 'utf8'));
    });
  }

  it('never contains the token or the client secret', () => {
    for (const [, config, kind] of GOLDEN) {
      for (const k of ['create', 'cleanup', 'delete'] as const) {
        const script = databricksPlatform.integrationScript(config, k);
        assert.ok(!script.includes(PAT) && !script.includes(CLIENT_SECRET), `${kind}/${k} leaked a secret`);
      }
    }
  });

  it('grants the OAuth client ID, and leaves a placeholder the admin fills in for token connections', () => {
    const oauth = databricksPlatform.integrationScript(oauthConfig, 'create');
    assert.ok(oauth.includes(`ALTER CATALOG \`steward\` OWNER TO \`${CLIENT_ID}\`;`));
    assert.ok(!oauth.includes(PRINCIPAL_PLACEHOLDER));
    const token = databricksPlatform.integrationScript(tokenConfig, 'create');
    assert.ok(token.includes(`ALTER CATALOG \`steward\` OWNER TO \`${PRINCIPAL_PLACEHOLDER}\`;`));
  });

  it('grants and revokes the audit system tables only when audit is enabled', () => {
    const audit = /system`\.`access`\.`audit/;
    assert.match(databricksPlatform.integrationScript(oauthConfig, 'create'), audit);
    assert.match(databricksPlatform.integrationScript(oauthConfig, 'delete'), audit);
    assert.doesNotMatch(databricksPlatform.integrationScript(tokenConfig, 'create'), audit);
    assert.doesNotMatch(
      databricksPlatform.integrationScript({ ...oauthConfig, audit: { enabled: false } }, 'cleanup'),
      audit,
    );
  });

  it('quotes names from the payload, so a client ID cannot smuggle SQL into the script', () => {
    const hostile = {
      ...oauthConfig,
      oAuthClientConfig: { ...oauthConfig.oAuthClientConfig, clientId: 'x`;DROP-CATALOG-main;--' },
    };
    const script = databricksPlatform.integrationScript(hostile, 'create');
    assert.ok(script.includes('OWNER TO `x``;DROP-CATALOG-main;--`;'));
    const statements = script.split('\n').filter((l) => !l.startsWith('--') && /DROP/.test(l));
    assert.ok(statements.every((l) => l.includes('`x``;DROP-CATALOG-main;--`')));
  });

  it('refuses an invalid script config, naming the field under config', () => {
    try {
      databricksPlatform.integrationScript({ ...tokenConfig, catalog: '9lives', extra: 1 }, 'create');
      assert.fail('expected REQUEST_INVALID');
    } catch (error) {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'REQUEST_INVALID');
      assert.deepEqual(error.errors.map((e) => e.field).sort(), ['config.catalog', 'config.extra']);
    }
  });
});
