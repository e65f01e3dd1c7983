import type { PolicyChange, PolicyView } from '../../src/cli/policy-api.ts';
import type { CliRun } from './cli-harness.ts';
import { type StubAnswer, type StubRequest, startStubServer } from './stub-server.ts';

export type { StubRequest } from './stub-server.ts';

/** An error answer the stub gives, as `application/problem+json`. */
export interface StubProblem {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors?: ReadonlyArray<{ in: string; pointer: string; field: string; detail: string }>;
}

/** A user the stub knows. */
export interface StubUser {
  readonly id: number;
  readonly username: string;
}

/** The state of the stub, which tests set and inspect. */
export interface StubState {
  /** The server's policies by key; documents are stored in canonical form. */
  policies: Map<string, PolicyView>;
  /** Problems answered for a policy key, on dry runs and writes. */
  refuse: Map<string, StubProblem>;
  /** Problems answered for a policy key on writes only (the dry run passes). */
  refuseWrite: Map<string, StubProblem>;
  users: StubUser[];
  /** Databases per connection key. */
  databases: Record<string, string[]>;
  /** Tables by full object path (`conn/db/schema/table`) to their data source id. */
  tables: Record<string, string>;
  /** policyInfo answers by `${dataSourceId}/${userId}`. */
  policyInfo: Record<string, unknown>;
  /** Answers `POST /query` for a body. */
  query: (body: { as: string; sql: string }) => { status: number; body: unknown };
}

/**
 * A fake Steward API on a local port, speaking the V2 policy, policyInfo and query contract the CLI is
 * written against (the real routes are being built concurrently). It records every request.
 */
export interface StubApi {
  readonly url: string;
  readonly requests: StubRequest[];
  state: StubState;
  /** Starts over: empty state with these policies, no recorded requests. */
  reset(documents?: ReadonlyArray<Record<string, unknown>>): void;
  /** The requests that changed something: writes (not dry runs) and deletions. */
  writes(): string[];
  /** Runs `steward <args>` against the stub as a child process, optionally feeding stdin. */
  run(args: readonly string[], options?: { stdin?: string }): Promise<CliRun>;
  close(): Promise<void>;
}

/** The canonical form the stub stores: defaults filled in, as the real server's parser does. */
export function canonical(document: Record<string, unknown>): Record<string, unknown> {
  return { staged: false, circumstances: [], ...document, name: document['name'] ?? document['policyKey'] };
}

/** JSON with object keys sorted, to compare values whatever their key order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The changed paths between two documents: object members recursively, arrays as a whole. */
function diff(before: unknown, after: unknown, path: string): PolicyChange[] {
  if (stableJson(before) === stableJson(after)) return [];
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const b = before as Record<string, unknown>;
    const a = after as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
    return keys.flatMap((k) => {
      const at = path === '' ? k : `${path}.${k}`;
      if (!(k in b)) return [{ path: at, after: a[k] }];
      if (!(k in a)) return [{ path: at, before: b[k] }];
      return diff(b[k], a[k], at);
    });
  }
  return [{ path, before, after }];
}

function view(document: Record<string, unknown>, id: number, version: number): PolicyView {
  return {
    id,
    policyKey: String(document['policyKey']),
    name: String(document['name']),
    type: String(document['type']),
    scope: 'global',
    dataSourceId: null,
    staged: document['staged'] === true,
    status: document['staged'] === true ? 'staged' : 'active',
    version,
    document,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

const AFFECTED = [{ dataSourceId: '42', name: 'sales.customers' }];

function emptyState(): StubState {
  return {
    policies: new Map(),
    refuse: new Map(),
    refuseWrite: new Map(),
    users: [],
    databases: {},
    tables: {},
    policyInfo: {},
    query: () => ({ status: 200, body: { columns: [], rows: [], rowCount: 0, truncated: false } }),
  };
}

type Answer = StubAnswer;

function problem(p: StubProblem): Answer {
  return { status: p.status, body: { type: 'about:blank', title: p.code, ...p } };
}

function notFound(detail: string): Answer {
  return problem({ status: 404, code: 'NOT_FOUND', detail });
}

/** Starts the stub on a free local port. */
export async function startStubApi(): Promise<StubApi> {
  let nextId = 1;
  const stub = { state: emptyState() } as { state: StubState };

  const upsert = (body: unknown, dryRun: boolean): Answer => {
    const doc = body as Record<string, unknown>;
    const key = doc?.['policyKey'];
    if (typeof key !== 'string') {
      return problem({ status: 400, code: 'POLICY_INVALID', detail: 'The policy document is invalid.' });
    }
    const refused = stub.state.refuse.get(key) ?? (dryRun ? undefined : stub.state.refuseWrite.get(key));
    if (refused) return problem(refused);
    const next = canonical(doc);
    const existing = stub.state.policies.get(key);
    const changes = existing ? diff(existing.document, next, '') : diff({}, next, '');
    const action = !existing ? 'created' : changes.length > 0 ? 'updated' : 'unchanged';
    let policy = existing ?? view(next, nextId, 1);
    if (action !== 'unchanged') {
      const id = existing ? Number(existing.id) : nextId++;
      policy = view(next, id, (existing?.version ?? 0) + 1);
      if (!dryRun) stub.state.policies.set(key, policy);
    }
    const affectedDataSources = action === 'unchanged' || next['type'] !== 'data' ? [] : AFFECTED;
    return { status: 200, body: { dryRun, action, policy, changes, affectedDataSources } };
  };

  const route = (req: StubRequest): Answer => {
    const { method, path } = req;
    const s = stub.state;
    if (method === 'GET' && path === '/api/v2/policy') {
      const hits = [...s.policies.values()];
      return { status: 200, body: { count: hits.length, hits } };
    }
    if (method === 'POST' && path === '/api/v2/policy')
      return upsert(req.body, req.query['dryRun'] === 'true');
    const deleted = /^\/api\/v2\/policy\/(.+)$/.exec(path);
    if (method === 'DELETE' && deleted) {
      if (!s.policies.delete(deleted[1]!)) return notFound('No such policy.');
      return { status: 204 };
    }
    if (method === 'GET' && path === '/users') {
      const wanted = req.query['username']?.toLowerCase();
      return { status: 200, body: { users: s.users.filter((u) => u.username === wanted), next: null } };
    }
    const search = /^\/data\/object\/search\/([^/]+)$/.exec(path);
    if (method === 'POST' && search) {
      const objects = (s.databases[search[1]!] ?? []).map((name) => ({ name, kind: 'database' }));
      return { status: 200, body: { objects, next: null } };
    }
    const object = /^\/data\/object\/(.+)$/.exec(path);
    if (method === 'GET' && object) {
      const names = object[1]!.split('/');
      const id = s.tables[object[1]!];
      if (id === undefined && names.length === 4) return notFound('There is no such object.');
      return {
        status: 200,
        body: { objectPath: names, kind: names.length === 4 ? 'table' : 'schema', dataSourceId: id ?? null },
      };
    }
    const info = /^\/dataSource\/(\d+)\/users\/(\d+)\/policyInfo$/.exec(path);
    if (method === 'GET' && info) {
      const answer = s.policyInfo[`${info[1]}/${info[2]}`];
      return answer === undefined ? notFound('No such data source or user.') : { status: 200, body: answer };
    }
    if (method === 'POST' && path === '/query') return s.query(req.body as { as: string; sql: string });
    return notFound(`The stub has no route ${method} ${path}.`);
  };

  const server = await startStubServer(route);

  return {
    url: server.url,
    requests: server.requests,
    get state() {
      return stub.state;
    },
    set state(value) {
      stub.state = value;
    },
    reset(documents = []) {
      stub.state = emptyState();
      server.requests.length = 0;
      for (const doc of documents) {
        const stored = canonical(doc);
        stub.state.policies.set(String(doc['policyKey']), view(stored, nextId++, 1));
      }
    },
    writes() {
      return server.requests
        .filter((r) => r.method === 'DELETE' || (r.method === 'POST' && r.query['dryRun'] === 'false'))
        .map(
          (r) =>
            `${r.method} ${r.method === 'DELETE' ? r.rawPath : (r.body as { policyKey: string }).policyKey}`,
        );
    },
    run: (args, options) => server.run(args, options),
    close: () => server.close(),
  };
}
