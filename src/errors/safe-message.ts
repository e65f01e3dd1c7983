import { isAppError } from './app-error.ts';

const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(:[^/\s@]*)?@/gi;
const KEY_VALUE_SECRET =
  /\b(password|passwd|pwd|secret|token|apikey|api_key|client_secret)\s*[=:]\s*("[^"]*"|'[^']*'|\S+)/gi;
const STEWARD_KEY = /\bstw_[0-9A-Za-z]{46}\b/g;

/**
 * Returns an error's message fit for storage and operators: catalogue errors keep their public detail,
 * others their message with URL credentials, `password=...` pairs and API keys removed, truncated.
 */
export function safeErrorMessage(error: unknown, max = 1000): string {
  if (isAppError(error)) return error.detail;
  const raw = error instanceof Error ? error.message : String(error);
  const cleaned = raw
    .replace(URL_USERINFO, '$1[REDACTED]@')
    .replace(KEY_VALUE_SECRET, '$1=[REDACTED]')
    .replace(STEWARD_KEY, '[REDACTED]');
  return cleaned.length > max ? cleaned.slice(0, max) + '…' : cleaned;
}
