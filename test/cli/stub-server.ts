import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliRun } from './cli-harness.ts';

const BIN = new URL('../../bin/steward.mjs', import.meta.url).pathname;

/** One request a stub received. */
export interface StubRequest {
  readonly method: string;
  /** The decoded path, without the query. */
  readonly path: string;
  /** The raw path as sent, for checking percent-encoding. */
  readonly rawPath: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** What a stub answers: a status and a JSON body (`application/problem+json` from 400 on), or none. */
export type StubAnswer = { readonly status: number; readonly body?: unknown };

/** A fake Steward API on a local port that records every request and answers through `route`. */
export interface StubServer {
  readonly url: string;
  readonly requests: StubRequest[];
  /** Runs `steward <args>` against the stub as a child process, optionally feeding stdin. */
  run(args: readonly string[], options?: { stdin?: string }): Promise<CliRun>;
  close(): Promise<void>;
}

/** Starts a recording stub on a free local port, with its own CLI config directory. */
export async function startStubServer(route: (request: StubRequest) => StubAnswer): Promise<StubServer> {
  const requests: StubRequest[] = [];
  const configDir = mkdtempSync(join(tmpdir(), 'steward-cli-stub-'));
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const recorded: StubRequest = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        rawPath: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: text === '' ? undefined : JSON.parse(text),
      };
      requests.push(recorded);
      const answer = route(recorded);
      if (answer.body === undefined) {
        res.writeHead(answer.status).end();
        return;
      }
      const type = answer.status >= 400 ? 'application/problem+json' : 'application/json';
      res.writeHead(answer.status, { 'content-type': type }).end(JSON.stringify(answer.body));
    });
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    run(args, options = {}) {
      const env: NodeJS.ProcessEnv = { ...process.env, STEWARD_CONFIG_DIR: configDir };
      delete env['STEWARD_URL'];
      delete env['STEWARD_API_KEY'];
      const child = spawn(process.execPath, [BIN, ...args, '--url', url, '--api-key', 'stw_stub'], {
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      child.stdin.end(options.stdin ?? '');
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      return new Promise((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}
