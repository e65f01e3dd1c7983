import { apiErrorFrom } from './api-error.ts';
import { CliError } from './cli-error.ts';

/** Query parameters; arrays repeat the parameter, undefined values are left out. */
export type QueryParams = Readonly<Record<string, string | number | readonly string[] | undefined>>;

/** Options of one API request. */
export interface RequestOptions {
  readonly query?: QueryParams;
  readonly body?: unknown;
}

/** How to reach the server. */
export interface ClientOptions {
  readonly baseUrl: string;
  readonly apiKey?: string | undefined;
  /** How long one request may take before it fails (default 60 s). */
  readonly timeoutMs?: number;
}

function networkFailure(baseUrl: string, apiKey: string | undefined, error: unknown): CliError {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new CliError(`the Steward server at ${baseUrl} did not answer in time`);
  }
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  let reason = error instanceof Error ? error.message : String(error);
  if (typeof cause === 'object' && cause !== null) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if (typeof code === 'string') reason = code;
    else if (typeof message === 'string') reason = message;
  }
  if (apiKey) reason = reason.replaceAll(apiKey, '[API key]');
  return new CliError(`cannot reach the Steward server at ${baseUrl} (${reason})`);
}

/**
 * A small client of the Steward HTTP API: sends the API key, parses JSON, and turns problem documents
 * into ApiError and unreachable servers into a CliError naming the URL. It never includes the key in
 * an error.
 */
export class ApiClient {
  readonly baseUrl: string;
  readonly #apiKey: string | undefined;
  readonly #timeoutMs: number;

  constructor(options: ClientOptions) {
    if (options.apiKey !== undefined && !/^[\x21-\x7e]+$/.test(options.apiKey)) {
      throw new CliError('the API key contains spaces or characters an API key cannot have');
    }
    this.baseUrl = options.baseUrl;
    this.#apiKey = options.apiKey;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** Sends one request and returns its parsed JSON body; throws ApiError for an error answer. */
  async request<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options: RequestOptions = {},
  ): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
    }
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (this.#apiKey) headers['authorization'] = `Bearer ${this.#apiKey}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      text = await response.text();
    } catch (error) {
      throw networkFailure(this.baseUrl, this.#apiKey, error);
    }
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        if (response.ok)
          throw new CliError(`the server at ${this.baseUrl} did not answer with JSON; is it Steward?`);
      }
    }
    if (!response.ok) throw apiErrorFrom(response, body);
    return body as T;
  }

  /** Sends a GET request. */
  get<T>(path: string, query?: QueryParams): Promise<T> {
    return this.request<T>('GET', path, query ? { query } : {});
  }

  /** Sends a POST request with a JSON body. */
  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, { body });
  }

  /** Sends a PUT request with a JSON body. */
  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }

  /** Sends a DELETE request. */
  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }
}
