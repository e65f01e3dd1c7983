import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeStatement, FakeWarehouse, readBody, sendJson } from './fake-warehouse.ts';

export type { FakeStatement } from './fake-warehouse.ts';

/** A column as Unity Catalog's table listing returns it. */
export interface FakeColumn {
  readonly name: string;
  readonly type_text: string;
  readonly type_name: string;
  readonly position: number;
  readonly nullable?: boolean;
  readonly comment?: string;
}

/** A table as Unity Catalog's table listing returns it. */
export interface FakeTable {
  readonly name: string;
  readonly table_type: string;
  readonly comment?: string;
  readonly columns: readonly FakeColumn[];
}

/** A fault answered instead of the real response, `times` times, to requests matching `path`. */
export interface Fault {
  readonly path: string;
  readonly method?: string;
  readonly status: number;
  times: number;
  readonly retryAfter?: string;
  readonly body?: unknown;
}

interface FakeCatalog {
  readonly catalogType: string;
  owner: string;
  readonly schemas: Map<string, Map<string, FakeTable>>;
}

/**
 * A simulated Databricks workspace on 127.0.0.1 speaking the documented REST contracts Steward uses:
 * the OAuth M2M token endpoint, SCIM Me, Unity Catalog catalogs/schemas/tables (paged with
 * `max_results` and `next_page_token`), effective permissions and the SQL Statement Execution API.
 * Faults (throttling, outages, refusals) can be injected per path.
 */
export class FakeDatabricks {
  readonly pats = new Map<string, string>();
  readonly oauthClients = new Map<string, { secret: string; principal: string }>();
  /** Lifetime of issued OAuth access tokens, in seconds. */
  tokenLifetimeSeconds = 3600;
  tokensIssued = 0;
  readonly catalogs = new Map<string, FakeCatalog>();
  /** Effective privileges per catalog, per principal (e.g. `USE_CATALOG`). */
  readonly permissions = new Map<string, Map<string, string[]>>();
  /** The page length used when `max_results` is 0, and the most any page holds. */
  serverPageSize = 100;
  /** When true, every page but the last is followed by an empty page that still has a next token. */
  emptyPages = false;
  readonly faults: Fault[] = [];
  /** The SQL warehouse `wh1` and the Statement Execution API. */
  readonly warehouse = new FakeWarehouse();
  readonly requests: Array<{ method: string; path: string; query: URLSearchParams; authorization: string }> =
    [];
  private readonly accessTokens = new Map<string, { principal: string; expiresAt: number }>();
  private server!: Server;
  port = 0;

  /** Starts a workspace on a free port of 127.0.0.1. */
  static async start(): Promise<FakeDatabricks> {
    const fake = new FakeDatabricks();
    fake.server = createServer((req, res) => {
      fake
        .handle(req, res)
        .catch((error: unknown) =>
          sendJson(res, 500, { error_code: 'INTERNAL_ERROR', message: String(error) }),
        );
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    fake.statement('SELECT 1', { columns: [{ name: '1', type_name: 'INT' }], rows: [['1']] });
    fake.statement('SELECT 1 FROM system.access.audit LIMIT 1', {
      columns: [{ name: '1', type_name: 'INT' }],
      rows: [['1']],
    });
    return fake;
  }

  /** Stops the server and drops its open connections. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addCatalog(name: string, options: { catalogType?: string; owner?: string } = {}): void {
    this.catalogs.set(name, {
      catalogType: options.catalogType ?? 'MANAGED_CATALOG',
      owner: options.owner ?? 'admin@example.com',
      schemas: new Map(),
    });
  }

  addSchema(catalog: string, schema: string): void {
    this.catalogs.get(catalog)!.schemas.set(schema, new Map());
  }

  addTable(catalog: string, schema: string, table: FakeTable): void {
    this.catalogs.get(catalog)!.schemas.get(schema)!.set(table.name, table);
  }

  dropTable(catalog: string, schema: string, name: string): void {
    this.catalogs.get(catalog)!.schemas.get(schema)!.delete(name);
  }

  /** Sets what the warehouse answers to a SQL text. */
  statement(sql: string, spec: FakeStatement): void {
    this.warehouse.statements.set(sql, spec);
  }

  /** The bodies of every statement submitted, in order. */
  get submitted(): ReadonlyArray<Record<string, unknown>> {
    return this.warehouse.submitted;
  }

  /** The IDs of the statements canceled. */
  get canceled(): readonly string[] {
    return this.warehouse.canceled;
  }

  /** Answers the next `times` requests to `path` (exact pathname) with `status`. */
  inject(fault: Fault): void {
    this.faults.push(fault);
  }

  /** Makes every issued OAuth access token invalid, as if it had been revoked. */
  revokeAccessTokens(): void {
    this.accessTokens.clear();
  }

  /** How many requests reached a pathname. */
  count(path: string, method?: string): number {
    return this.requests.filter((r) => r.path === path && (!method || r.method === method)).length;
  }

  private principalOf(authorization: string): string | undefined {
    const token = /^Bearer (.+)$/.exec(authorization)?.[1];
    if (!token) return undefined;
    if (this.pats.has(token)) return this.pats.get(token);
    const issued = this.accessTokens.get(token);
    return issued && issued.expiresAt > Date.now() ? issued.principal : undefined;
  }

  private page<T>(res: ServerResponse, query: URLSearchParams, key: string, items: readonly T[]): undefined {
    const max = query.get('max_results');
    if (max === null) return sendJson(res, 200, { [key]: items });
    const size = Number(max) === 0 ? this.serverPageSize : Math.min(Number(max), this.serverPageSize);
    const token = query.get('page_token') ?? 'o:0';
    const offset = Number(token.slice(2));
    if (token.startsWith('e:')) return sendJson(res, 200, { [key]: [], next_page_token: `o:${offset}` });
    const slice = items.slice(offset, offset + size);
    const more = offset + size < items.length;
    const next = more ? `${this.emptyPages ? 'e' : 'o'}:${offset + size}` : undefined;
    sendJson(res, 200, { [key]: slice, ...(next ? { next_page_token: next } : {}) });
  }

  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const [id = '', secret = ''] = Buffer.from(basic, 'base64')
      .toString('utf8')
      .split(':')
      .map(decodeURIComponent);
    const client = this.oauthClients.get(id);
    if (form.get('grant_type') !== 'client_credentials' || !form.get('scope')) {
      return sendJson(res, 400, {
        error: 'invalid_request',
        error_description: 'grant_type and scope are required',
      });
    }
    if (!client || client.secret !== secret) {
      return sendJson(res, 401, {
        error: 'invalid_client',
        error_description: 'Client authentication failed',
      });
    }
    const accessToken = `eyJ-${randomBytes(12).toString('hex')}`;
    this.tokensIssued++;
    this.accessTokens.set(accessToken, {
      principal: client.principal,
      expiresAt: Date.now() + this.tokenLifetimeSeconds * 1000,
    });
    sendJson(res, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.tokenLifetimeSeconds,
      scope: form.get('scope'),
    });
  }

  private unityCatalog(
    res: ServerResponse,
    path: string,
    query: URLSearchParams,
    principal: string,
  ): undefined {
    const uc = '/api/2.1/unity-catalog';
    const missing = (name: string) =>
      sendJson(res, 404, {
        error_code: 'CATALOG_DOES_NOT_EXIST',
        message: `Catalog '${name}' does not exist.`,
      });
    if (path === `${uc}/catalogs`) {
      const items = [...this.catalogs].map(([name, c]) => ({
        name,
        full_name: name,
        catalog_type: c.catalogType,
        owner: c.owner,
      }));
      return this.page(res, query, 'catalogs', items);
    }
    const one = new RegExp(`^${uc}/catalogs/([^/]+)$`).exec(path);
    if (one) {
      const name = decodeURIComponent(one[1]!);
      const c = this.catalogs.get(name);
      return c
        ? sendJson(res, 200, { name, full_name: name, owner: c.owner, catalog_type: c.catalogType })
        : missing(name);
    }
    const perms = new RegExp(`^${uc}/effective-permissions/catalog/([^/]+)$`).exec(path);
    if (perms) {
      const name = decodeURIComponent(perms[1]!);
      if (!this.catalogs.has(name)) return missing(name);
      const who = query.get('principal') ?? principal;
      const privileges = this.permissions.get(name)?.get(who) ?? [];
      return sendJson(res, 200, {
        privilege_assignments: [
          { principal: who, privileges: privileges.map((privilege) => ({ privilege })) },
        ],
      });
    }
    const catalog = this.catalogs.get(query.get('catalog_name') ?? '');
    if (path === `${uc}/schemas`) {
      if (!catalog) return missing(query.get('catalog_name') ?? '');
      const items = [...catalog.schemas.keys()].map((name) => ({
        name,
        catalog_name: query.get('catalog_name'),
        comment: `about ${name}`,
      }));
      return this.page(res, query, 'schemas', items);
    }
    if (path === `${uc}/tables`) {
      const schema = catalog?.schemas.get(query.get('schema_name') ?? '');
      if (!schema)
        return sendJson(res, 404, {
          error_code: 'SCHEMA_DOES_NOT_EXIST',
          message: 'Schema does not exist.',
        });
      return this.page(res, query, 'tables', [...schema.values()]);
    }
    sendJson(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No API found for GET ${path}` });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const authorization = req.headers.authorization ?? '';
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      authorization,
    });
    const fault = this.faults.find(
      (f) => f.times > 0 && f.path === url.pathname && (!f.method || f.method === req.method),
    );
    if (fault) {
      fault.times--;
      const headers: Record<string, string> =
        fault.retryAfter !== undefined ? { 'Retry-After': fault.retryAfter } : {};
      return sendJson(
        res,
        fault.status,
        fault.body ?? { error_code: 'FAULT', message: `Injected ${fault.status}` },
        headers,
      );
    }
    if (url.pathname === '/') return sendJson(res, 200, {});
    if (url.pathname === '/oidc/v1/token' && req.method === 'POST') return this.token(req, res);
    if (url.pathname === '/oidc/.well-known/oauth-authorization-server') {
      const origin = `http://127.0.0.1:${this.port}`;
      return sendJson(res, 200, { issuer: `${origin}/oidc`, token_endpoint: `${origin}/oidc/v1/token` });
    }
    const principal = this.principalOf(authorization);
    if (!principal)
      return sendJson(res, 401, { error_code: 'UNAUTHENTICATED', message: 'Invalid access token.' });
    if (url.pathname === '/api/2.0/preview/scim/v2/Me')
      return sendJson(res, 200, { id: '42', userName: principal, active: true });
    if (url.pathname.startsWith('/api/2.0/sql/statements'))
      return this.warehouse.handle(req, res, url.pathname);
    if (url.pathname.startsWith('/api/2.1/unity-catalog/'))
      return this.unityCatalog(res, url.pathname, url.searchParams, principal);
    sendJson(res, 404, {
      error_code: 'ENDPOINT_NOT_FOUND',
      message: `No API found for ${req.method} ${url.pathname}`,
    });
  }
}
