import { AppError } from '../../errors/index.ts';
import type { AuthProvider } from './auth.ts';
import { redact, send, type Transport } from './transport.ts';

/** Query parameters of a REST call; undefined ones are left out. */
export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** An authenticated client of one workspace's REST API. */
export interface DatabricksClient {
  /** The workspace origin, e.g. `https://dbc-1234.cloud.databricks.com`. */
  readonly origin: string;
  readonly auth: AuthProvider;
  /** GETs a path of the workspace and returns its JSON body; throws a PLATFORM_* error otherwise. */
  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T>;
  /** POSTs a JSON body to a path of the workspace and returns its JSON body. */
  post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T>;
}

/** The Databricks error body: `{"error_code": "...", "message": "..."}`. */
interface ErrorBody {
  readonly error_code?: unknown;
  readonly message?: unknown;
}

function parseError(text: string): { code: string; message: string } {
  try {
    const body = JSON.parse(text) as ErrorBody;
    return {
      code: typeof body.error_code === 'string' ? body.error_code : '',
      message: typeof body.message === 'string' ? body.message : '',
    };
  } catch {
    return { code: '', message: '' };
  }
}

async function platformError(res: Response, what: string, auth: AuthProvider): Promise<AppError> {
  const { code, message } = parseError(await res.text().catch(() => ''));
  const why = redact(
    `${res.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`,
    auth.secrets(),
  );
  const extensions = { platformStatus: res.status, ...(code ? { platformErrorCode: code } : {}) };
  switch (true) {
    case res.status === 401:
      return new AppError('PLATFORM_AUTH_FAILED', `Databricks refused ${auth.description} (${why}).`, {
        extensions,
      });
    case res.status === 403:
      return new AppError('PLATFORM_FORBIDDEN', `Databricks denied ${what} (${why}).`, { extensions });
    case res.status === 429:
      return new AppError('PLATFORM_THROTTLED', `Databricks kept throttling ${what} (${why}).`, {
        extensions,
      });
    case res.status === 503:
      return new AppError('PLATFORM_UNREACHABLE', `Databricks stayed unavailable for ${what} (${why}).`, {
        extensions,
      });
    case res.status >= 300 && res.status < 400:
      return new AppError(
        'PLATFORM_ERROR',
        `Databricks redirected ${what} elsewhere; check that the hostname is the workspace host.`,
        { extensions },
      );
    default:
      return new AppError('PLATFORM_ERROR', `Databricks failed ${what} (${why}).`, { extensions });
  }
}

/** Returns the Databricks status and error code an error carries, when it came from a Databricks answer. */
export function platformStatusOf(error: unknown): { status?: number; code?: string } {
  if (!(error instanceof AppError)) return {};
  const { platformStatus, platformErrorCode } = error.extensions as {
    platformStatus?: number;
    platformErrorCode?: string;
  };
  return { status: platformStatus, code: platformErrorCode };
}

/**
 * Creates a client of the workspace at `origin`: bearer auth from `auth`, retries and timeouts from
 * `transport`, one fresh OAuth token on a 401, and catalogue errors whose details hold Databricks'
 * `error_code` and message with every secret scrubbed.
 */
export function createDatabricksClient(
  origin: string,
  auth: AuthProvider,
  transport: Transport,
): DatabricksClient {
  const base = new URL(origin);

  async function request<T>(
    method: 'GET' | 'POST',
    path: string,
    query: Query | undefined,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const url = new URL(path, base);
    if (url.origin !== base.origin)
      throw new AppError('PLATFORM_ERROR', `Refused to follow a link off the workspace: ${url.origin}.`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const what = `${method} ${url.pathname}`;
    let refreshed = false;
    for (;;) {
      const authorization = await auth.authorization(signal);
      const headers: Record<string, string> = {
        Authorization: authorization,
        Accept: 'application/json',
        'User-Agent': 'steward',
      };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await send(
        transport,
        url,
        {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          idempotent: method === 'GET',
        },
        signal,
      );
      if (res.status === 401 && auth.refreshable && !refreshed) {
        await res.body?.cancel().catch(() => {});
        auth.invalidate(authorization);
        refreshed = true;
        continue;
      }
      if (!res.ok) throw await platformError(res, what, auth);
      const text = await res.text().catch((error: unknown) => {
        throw new AppError('PLATFORM_UNREACHABLE', `Databricks did not finish answering ${what}.`, {
          cause: error,
        });
      });
      if (text.trim() === '') return {} as T;
      try {
        return JSON.parse(text) as T;
      } catch (error) {
        throw new AppError('PLATFORM_ERROR', `Databricks answered ${what} with a body that is not JSON.`, {
          cause: error,
        });
      }
    }
  }

  return {
    origin: base.origin,
    auth,
    get: (path, query, signal) => request('GET', path, query, undefined, signal),
    post: (path, body, signal) => request('POST', path, undefined, body, signal),
  };
}
