import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { databricksPlatform } from '../../../src/platforms/databricks/index.ts';
import { warehouseIdOf } from '../../../src/platforms/databricks/schemas.ts';
import { fieldErrorsFromZod } from '../../../src/server/plugins/validation.ts';
import { CLIENT_SECRET, connectionPayload, nativeIntegrationPayload, PAT } from './payloads.ts';

const platform = databricksPlatform;
const body = z.object({
  connection: platform.connectionSchema,
  nativeIntegration: platform.nativeIntegrationSchema!.optional(),
});
const scriptBody = z.object({ config: platform.scriptConfigSchema });

/** Returns `field: detail` for each field error of a payload, as the API would report them. */
function errorsOf(schema: z.ZodType, payload: unknown): string[] {
  const result = schema.safeParse(payload);
  return result.success
    ? []
    : fieldErrorsFromZod(result.error.issues, 'body').map((e) => `${e.field}: ${e.detail}`);
}

function parse<T = Record<string, unknown>>(schema: z.ZodType, payload: unknown): T {
  return schema.parse(payload) as T;
}

const referenceToken = {
  connection: {
    technology: 'Databricks',
    hostname: 'www.your-workspace.cloud.databricks.com',
    port: 443,
    httpPath: '/sql/1.0/warehouses/abc123',
    authenticationType: 'token',
    token: PAT,
  },
  nativeIntegration: {
    type: 'Databricks',
    autoBootstrap: false,
    unityCatalog: true,
    config: {
      authenticationType: 'token',
      token: PAT,
      host: 'www.your-workspace.cloud.databricks.com',
      port: 443,
      catalog: 'immuta_catalog',
      audit: { enabled: true },
      workspaceIds: ['1234567890', '2345678901'],
      enableNativeQueryParsing: false,
      groupPattern: { deny: 'steward_exempt' },
      jobConfig: { workspaceDirectoryPath: '/Workspace/ImmutaArtifacts', jobClusterId: 'undefined' },
    },
  },
};

const oauth = {
  useCertificate: false,
  clientId: 'c1d2',
  clientSecret: CLIENT_SECRET,
  scope: 'all-apis',
  authorityUrl: 'https://idp.example.com/oauth2/token',
};
const referenceOAuth = {
  connection: {
    technology: 'Databricks',
    hostname: 'dbc-1.cloud.databricks.com',
    port: 443,
    httpPath: 'sql/protocolv1/o/0/0123-456789-abc',
    authenticationType: 'oAuthM2M',
    oAuthClientConfig: oauth,
  },
  nativeIntegration: {
    type: 'Databricks',
    autoBootstrap: false,
    unityCatalog: true,
    config: {
      host: 'dbc-1.cloud.databricks.com',
      port: 443,
      authenticationType: 'oAuthM2M',
      oAuthClientConfig: oauth,
      catalog: 'steward',
      audit: { enabled: false },
    },
  },
};

describe('Databricks payload schemas', () => {
  it("accepts the reference's token and OAuth M2M payloads, every optional field included", () => {
    assert.deepEqual(errorsOf(body, referenceToken), []);
    assert.deepEqual(errorsOf(body, referenceOAuth), []);
  });

  it('fills in the defaults: port 443, scope all-apis, useCertificate false', () => {
    const { connection } = parse<{ connection: Record<string, unknown> }>(body, {
      connection: {
        technology: 'Databricks',
        hostname: 'h.example.com',
        httpPath: '/sql/1.0/warehouses/x',
        authenticationType: 'oAuthM2M',
        oAuthClientConfig: { clientId: 'a', clientSecret: 'b' },
      },
    });
    assert.equal(connection.port, 443);
    assert.deepEqual(connection.oAuthClientConfig, {
      useCertificate: false,
      clientId: 'a',
      clientSecret: 'b',
      scope: 'all-apis',
    });
  });

  it('normalises the workspace host (https:// prefix, trailing slash, case) and the httpPath leading slash', () => {
    const { connection } = parse<{ connection: Record<string, unknown> }>(body, {
      connection: {
        ...connectionPayload('token'),
        hostname: ' HTTPS://DBC-1234.Cloud.Databricks.com/ ',
        httpPath: 'sql/1.0/warehouses/abc',
      },
    });
    assert.equal(connection.hostname, 'dbc-1234.cloud.databricks.com');
    assert.equal(connection.httpPath, '/sql/1.0/warehouses/abc');
  });

  it('refuses a host with http://, a path or spaces, naming connection.hostname', () => {
    for (const hostname of [
      'http://dbc-1.cloud.databricks.com',
      'dbc-1.cloud.databricks.com/sql',
      'dbc 1.cloud.databricks.com',
      '',
    ]) {
      const errors = errorsOf(body, { connection: { ...connectionPayload('token'), hostname } });
      assert.equal(errors.length, 1, hostname);
      assert.match(errors[0]!, /^connection\.hostname: must be a workspace host/);
    }
  });

  it('names connection.token when a token connection has none', () => {
    const { token: _, ...connection } = connectionPayload('token');
    assert.deepEqual(errorsOf(body, { connection }), ['connection.token: is required']);
  });

  it('names connection.oAuthClientConfig.clientSecret when an OAuth connection has none', () => {
    const connection = { ...connectionPayload('oAuthM2M'), oAuthClientConfig: { clientId: 'abc' } };
    assert.deepEqual(errorsOf(body, { connection }), [
      'connection.oAuthClientConfig.clientSecret: is required',
    ]);
  });

  it('refuses useCertificate true with a clear message', () => {
    const connection = {
      ...connectionPayload('oAuthM2M'),
      oAuthClientConfig: { ...oauth, useCertificate: true },
    };
    const errors = errorsOf(body, { connection });
    assert.equal(errors.length, 1);
    assert.match(
      errors[0]!,
      /^connection\.oAuthClientConfig\.useCertificate: certificates are not supported yet/,
    );
  });

  it('refuses catalog names that are not letters, digits and underscores or start with a digit', () => {
    for (const catalog of ['1steward', 'my-catalog', 'a b', '']) {
      const errors = errorsOf(body, {
        connection: connectionPayload('token'),
        nativeIntegration: nativeIntegrationPayload('token', undefined, { catalog }),
      });
      assert.deepEqual(
        errors,
        [
          'nativeIntegration.config.catalog: may only contain letters, digits and underscores, and cannot start with a digit',
        ],
        catalog,
      );
    }
    assert.deepEqual(
      errorsOf(body, {
        connection: connectionPayload('token'),
        nativeIntegration: nativeIntegrationPayload('token', undefined, { catalog: '_Steward_2' }),
      }),
      [],
    );
  });

  it('refuses unknown fields with their path, at every level', () => {
    const native = nativeIntegrationPayload('token') as { config: Record<string, unknown> };
    const errors = errorsOf(body, {
      connection: { ...connectionPayload('token'), warehouse: 'x' },
      nativeIntegration: { ...native, config: { ...native.config, audit: { enabled: true, verbose: true } } },
    });
    assert.deepEqual(errors.sort(), [
      'connection.warehouse: is not a known field',
      'nativeIntegration.config.audit.verbose: is not a known field',
    ]);
  });

  it('refuses an unknown authentication type, unityCatalog false and an http authorityUrl', () => {
    assert.deepEqual(
      errorsOf(body, { connection: { ...connectionPayload('token'), authenticationType: 'password' } }),
      ["connection.authenticationType: must be 'token' or 'oAuthM2M'"],
    );
    const native = { ...nativeIntegrationPayload('token'), unityCatalog: false };
    assert.match(
      errorsOf(body, { connection: connectionPayload('token'), nativeIntegration: native })[0]!,
      /^nativeIntegration\.unityCatalog: must be true/,
    );
    const connection = {
      ...connectionPayload('oAuthM2M'),
      oAuthClientConfig: { ...oauth, authorityUrl: 'http://idp.example.com/token' },
    };
    assert.match(
      errorsOf(body, { connection })[0]!,
      /^connection\.oAuthClientConfig\.authorityUrl: must be an https URL/,
    );
  });

  it("accepts the reference's script configs and names missing fields under config", () => {
    const script = {
      workspaceUrl: 'www.your-workspace.cloud.databricks.com',
      httpPath: 'sql/protocolv1/o/0/your-path',
      authenticationType: 'token',
      token: PAT,
      catalog: 'new_catalog',
      audit: { enabled: true },
    };
    assert.deepEqual(errorsOf(scriptBody, { config: script }), []);
    const { token: _, ...noToken } = script;
    assert.deepEqual(
      errorsOf(scriptBody, {
        config: { ...noToken, authenticationType: 'oAuthM2M', oAuthClientConfig: oauth },
      }),
      [],
    );
    const { workspaceUrl: __, ...missing } = noToken;
    assert.deepEqual(errorsOf(scriptBody, { config: missing }).sort(), [
      'config.token: is required',
      'config.workspaceUrl: is required',
    ]);
  });

  it('reads the warehouse ID from a warehouse httpPath, and none from a cluster path', () => {
    assert.equal(warehouseIdOf('/sql/1.0/warehouses/abc123'), 'abc123');
    assert.equal(warehouseIdOf('/sql/1.0/endpoints/abc123'), 'abc123');
    assert.equal(warehouseIdOf('/sql/protocolv1/o/0/0123-456789-abc'), undefined);
  });
});

describe('Databricks payload consistency', () => {
  const parsed = (connection: unknown, nativeIntegration: unknown) =>
    parse<{ connection: Record<string, unknown>; nativeIntegration: Record<string, unknown> }>(body, {
      connection,
      nativeIntegration,
    });

  it('finds nothing to report when connection and nativeIntegration agree, spelling aside', () => {
    const native = nativeIntegrationPayload('token') as { config: Record<string, unknown> };
    const payload = parsed(
      { ...connectionPayload('token'), hostname: 'https://DBC-1234.cloud.databricks.com' },
      native,
    );
    assert.deepEqual(platform.checkConsistency(payload), []);
  });

  it('names both fields of every mismatch, without the credential values', () => {
    const native = nativeIntegrationPayload('token') as { config: Record<string, unknown> };
    const payload = parsed(
      {
        ...connectionPayload('token'),
        hostname: 'other.cloud.databricks.com',
        port: 8443,
        token: 'dapi-another-token-value',
      },
      native,
    );
    const errors = platform.checkConsistency(payload).map((e) => `${e.field}: ${e.detail}`);
    assert.deepEqual(errors, [
      'connection.hostname: must equal nativeIntegration.config.host',
      'nativeIntegration.config.host: must equal connection.hostname',
      'connection.port: must equal nativeIntegration.config.port',
      'nativeIntegration.config.port: must equal connection.port',
      'connection.token: must equal nativeIntegration.config.token',
      'nativeIntegration.config.token: must equal connection.token',
    ]);
    assert.ok(!JSON.stringify(errors).includes(PAT) && !JSON.stringify(errors).includes('dapi-another'));
  });

  it('names both authentication types when they differ, and both client IDs', () => {
    const mixed = platform.checkConsistency(
      parsed(connectionPayload('oAuthM2M'), nativeIntegrationPayload('token')),
    );
    assert.deepEqual(
      mixed.map((e) => e.field),
      ['connection.authenticationType', 'nativeIntegration.config.authenticationType'],
    );
    const native = nativeIntegrationPayload('oAuthM2M') as { config: Record<string, unknown> };
    const otherClient = {
      ...native,
      config: {
        ...native.config,
        oAuthClientConfig: { clientId: 'someone-else', clientSecret: CLIENT_SECRET },
      },
    };
    const errors = platform.checkConsistency(parsed(connectionPayload('oAuthM2M'), otherClient));
    assert.deepEqual(
      errors.map((e) => e.pointer),
      ['#/connection/oAuthClientConfig/clientId', '#/nativeIntegration/config/oAuthClientConfig/clientId'],
    );
  });

  it('describes the workspace host and the Steward catalog of a connection and of a script config', () => {
    const payload = parsed(
      { ...connectionPayload('token'), hostname: 'HTTPS://DBC-1234.cloud.databricks.com' },
      nativeIntegrationPayload('token'),
    );
    assert.deepEqual(platform.describe(payload), {
      host: 'dbc-1234.cloud.databricks.com',
      stewardNamespace: 'steward',
    });
    assert.deepEqual(platform.describe({ connection: payload.connection, nativeIntegration: undefined }), {
      host: 'dbc-1234.cloud.databricks.com',
      stewardNamespace: undefined,
    });
    const script = {
      workspaceUrl: 'https://dbc-1234.cloud.databricks.com/',
      httpPath: '/sql/1.0/warehouses/a',
      authenticationType: 'token',
      token: PAT,
      catalog: 'gov',
    };
    assert.deepEqual(platform.describeScript(script), {
      host: 'dbc-1234.cloud.databricks.com',
      stewardNamespace: 'gov',
    });
  });
});
