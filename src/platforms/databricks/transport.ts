import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, safeErrorMessage } from '../../errors/index.ts';

/** How requests to Databricks are sent: the fetch to use, retry bounds and the per-request timeout. */
export interface Transport {
  readonly fetch: typeof fetch;
  /** Attempts per request, the first included. */
  readonly attempts: number;
  /** The first backoff delay; it doubles per attempt, with jitter. */
  readonly baseDelayMs: number;
  /** The longest wait between attempts; a `Retry-After` beyond it ends the retries. */
  readonly maxDelayMs: number;
  /** How long one attempt may take, body included. */
  readonly timeoutMs: number;
}

const RETRY_STATUSES = new Set([429, 503]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'EAI_AGAIN']);
const NETWORK_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed unexpectedly',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPROTO: 'TLS handshake failed',
};

function errorCode(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof error !== 'object' || error === null) return undefined;
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string') return own;
  const inner = (error as { errors?: unknown[] }).errors;
  if (Array.isArray(inner)) {
    for (const e of inner) {
      const code = errorCode(e, depth + 1);
      if (code) return code;
    }
  }
  return errorCode((error as { cause?: unknown }).cause, depth + 1);
}

/** Describes why a request never got an answer, in a few words: `connection refused`, `host not found`... */
export function describeNetworkError(error: unknown): string {
  const code = errorCode(error);
  if (code && NETWORK_PROBLEMS[code]) return NETWORK_PROBLEMS[code];
  if (code && /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code))
    return `TLS certificate rejected (${code})`;
  if (code) return code;
  const cause = (error as { cause?: unknown }).cause;
  return safeErrorMessage(cause ?? error, 200);
}

/** Returns `scheme://host:port` with the port always shown, for messages. */
export function hostPortOf(url: URL): string {
  return `${url.protocol}//${url.host}${url.port ? '' : url.protocol === 'https:' ? ':443' : ':80'}`;
}

/** Formats a duration for messages: `800 ms`, `60 s`. */
export function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

/** Waits `ms`, or rejects with the signal's own reason as soon as it aborts. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : undefined);
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
}

/** Parses a `Retry-After` header (seconds or an HTTP date) to milliseconds. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function backoffMs(transport: Transport, attempt: number): number {
  const ceiling = Math.min(transport.maxDelayMs, transport.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + Math.random() * 0.5));
}

/**
 * Sends one request, retrying with exponential backoff and jitter on 429 and 503 (honouring
 * `Retry-After`) and, for idempotent requests, on connection resets. Returns the last response,
 * whatever its status; throws PLATFORM_UNREACHABLE when no answer came, or the caller's abort reason.
 */
export async function send(
  transport: Transport,
  url: URL,
  init: RequestInit & { readonly idempotent: boolean },
  signal?: AbortSignal,
): Promise<Response> {
  const { idempotent, ...request } = init;
  for (let attempt = 1; ; attempt++) {
    const timeout = AbortSignal.timeout(transport.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await transport.fetch(url, { ...request, redirect: 'manual', signal: combined });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const problem = timeout.aborted
        ? `no answer within ${duration(transport.timeoutMs)}`
        : describeNetworkError(error);
      const code = errorCode(error);
      if (
        idempotent &&
        !timeout.aborted &&
        code &&
        TRANSIENT_CODES.has(code) &&
        attempt < transport.attempts
      ) {
        await pause(backoffMs(transport, attempt), signal);
        continue;
      }
      throw new AppError('PLATFORM_UNREACHABLE', `Could not reach ${hostPortOf(url)}: ${problem}.`, {
        cause: error,
      });
    }
    if (!RETRY_STATUSES.has(response.status) || attempt >= transport.attempts) return response;
    const wait = retryAfterMs(response.headers.get('retry-after')) ?? backoffMs(transport, attempt);
    if (wait > transport.maxDelayMs) return response;
    await response.body?.cancel().catch(() => {});
    await pause(wait, signal);
  }
}

/** Replaces every occurrence of the given secrets in a text, then applies the generic credential scrubbing. */
export function redact(text: string, secrets: readonly string[], max = 300): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.replaceAll(s, '[REDACTED]');
  return safeErrorMessage(new Error(out), max);
}
