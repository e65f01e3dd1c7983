import { AppError } from '../../errors/index.ts';
import type { DatabricksCredentials, OAuthClientConfig } from './schemas.ts';
import { redact, send, type Transport } from './transport.ts';

/** Supplies the `Authorization` header of Databricks requests. */
export interface AuthProvider {
  /** What authenticates, for messages: `the personal access token`, `OAuth client 1234...`. */
  readonly description: string;
  /** True when a refused header may be replaced by a fresh one (OAuth), false for a fixed token. */
  readonly refreshable: boolean;
  /** Returns the header value, fetching an access token first when none is cached or it is about to expire. */
  authorization(signal?: AbortSignal): Promise<string>;
  /** Forgets the cached access token if it is the one in `header`, so the next call fetches a new one. */
  invalidate(header: string): void;
  /** The secrets to scrub from any text Databricks sends back. */
  secrets(): string[];
}

/** Authenticates with a personal access token as a bearer token. */
export function patAuth(token: string): AuthProvider {
  return {
    description: 'the personal access token',
    refreshable: false,
    authorization: async () => `Bearer ${token}`,
    invalidate: () => {},
    secrets: () => [token],
  };
}

interface CachedToken {
  readonly header: string;
  readonly token: string;
  /** When to fetch a new one: shortly before it expires. */
  readonly refreshAt: number;
}

/** The options of the OAuth client-credentials flow that are not in the payload. */
export interface OAuthOptions {
  readonly transport: Transport;
  /** The token endpoint used when the payload names no `authorityUrl`: `<workspace>/oidc/v1/token`. */
  readonly defaultTokenEndpoint: string;
  /** Whether a discovered token endpoint may use http (tests only; payloads are always https). */
  readonly allowHttp: boolean;
  readonly now: () => number;
}

async function discoverTokenEndpoint(
  authority: string,
  options: OAuthOptions,
  signal?: AbortSignal,
): Promise<string> {
  const base = authority.replace(/\/+$/, '');
  for (const suffix of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
    const res = await send(
      options.transport,
      new URL(base + suffix),
      { method: 'GET', idempotent: true },
      signal,
    );
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      continue;
    }
    const doc = (await res.json().catch(() => ({}))) as { token_endpoint?: unknown };
    const endpoint = typeof doc.token_endpoint === 'string' ? doc.token_endpoint : '';
    const scheme = URL.canParse(endpoint) ? new URL(endpoint).protocol : '';
    if (scheme === 'https:' || (options.allowHttp && scheme === 'http:')) return endpoint;
  }
  throw new AppError(
    'PLATFORM_AUTH_FAILED',
    `Could not find the token endpoint of the authority ${base}; give the token endpoint itself as authorityUrl.`,
  );
}

function tokenEndpointFor(
  config: OAuthClientConfig,
  options: OAuthOptions,
  signal?: AbortSignal,
): Promise<string> {
  if (!config.authorityUrl) return Promise.resolve(options.defaultTokenEndpoint);
  if (/\/token\/?$/.test(new URL(config.authorityUrl).pathname)) return Promise.resolve(config.authorityUrl);
  return discoverTokenEndpoint(config.authorityUrl, options, signal);
}

function refusal(status: number, body: string, endpoint: string, config: OAuthClientConfig): AppError {
  let code = '';
  try {
    const parsed = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    code = [parsed.error, parsed.error_description].filter((x) => typeof x === 'string').join(': ');
  } catch {}
  const why = redact(`${status}${code ? ` ${code}` : ''}`, [config.clientSecret]);
  if (status === 429)
    return new AppError(
      'PLATFORM_THROTTLED',
      `The OAuth token endpoint ${endpoint} kept throttling requests (${why}).`,
    );
  if (status === 503)
    return new AppError(
      'PLATFORM_UNREACHABLE',
      `The OAuth token endpoint ${endpoint} is unavailable (${why}).`,
    );
  if (status >= 500)
    return new AppError('PLATFORM_ERROR', `The OAuth token endpoint ${endpoint} failed (${why}).`);
  return new AppError(
    'PLATFORM_AUTH_FAILED',
    `The OAuth token endpoint ${endpoint} refused client ${config.clientId} (${why}).`,
  );
}

/**
 * Authenticates as a service principal with the OAuth client-credentials flow: the client ID and
 * secret go in HTTP Basic auth to the token endpoint, the access token is cached until shortly
 * before `expires_in` runs out, and concurrent callers share one token request.
 */
export function oAuthM2MAuth(config: OAuthClientConfig, options: OAuthOptions): AuthProvider {
  let cached: CachedToken | undefined;
  let pending: Promise<CachedToken> | undefined;
  const basic = Buffer.from(
    `${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`,
  ).toString('base64');

  async function fetchToken(signal?: AbortSignal): Promise<CachedToken> {
    const endpoint = await tokenEndpointFor(config, options, signal);
    const res = await send(
      options.transport,
      new URL(endpoint),
      {
        method: 'POST',
        idempotent: true,
        headers: {
          Authorization: `Basic ${basic}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: config.scope }).toString(),
      },
      signal,
    );
    const body = await res.text();
    const shown = new URL(endpoint);
    if (!res.ok) throw refusal(res.status, body, `${shown.origin}${shown.pathname}`, config);
    let parsed: { access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      parsed = {};
    }
    if (typeof parsed.access_token !== 'string' || parsed.access_token === '') {
      throw new AppError(
        'PLATFORM_AUTH_FAILED',
        `The OAuth token endpoint ${shown.origin}${shown.pathname} answered without an access token.`,
      );
    }
    const lifetimeMs =
      (typeof parsed.expires_in === 'number' ? parsed.expires_in : Number(parsed.expires_in) || 3600) * 1000;
    const margin = Math.min(60_000, lifetimeMs / 10);
    const token = parsed.access_token;
    return { header: `Bearer ${token}`, token, refreshAt: options.now() + lifetimeMs - margin };
  }

  return {
    description: `OAuth client ${config.clientId}`,
    refreshable: true,
    async authorization(signal) {
      if (cached && options.now() < cached.refreshAt) return cached.header;
      pending ??= fetchToken(signal).finally(() => {
        pending = undefined;
      });
      cached = await pending;
      return cached.header;
    },
    invalidate(header) {
      if (cached?.header === header) cached = undefined;
    },
    secrets: () => [config.clientSecret, ...(cached ? [cached.token] : [])],
  };
}

/** Returns the auth provider for a payload's credentials. */
export function authFor(credentials: DatabricksCredentials, options: OAuthOptions): AuthProvider {
  return credentials.authenticationType === 'token'
    ? patAuth(credentials.token)
    : oAuthM2MAuth(credentials.oAuthClientConfig, options);
}
