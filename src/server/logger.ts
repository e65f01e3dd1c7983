import { type Logger, pino } from 'pino';

/** Log paths whose values are credentials; pino replaces them with `[REDACTED]`. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  ...[
    'password',
    'token',
    'clientSecret',
    'secret',
    'privateKey',
    'privateKeyPassword',
    'apiKey',
    'key',
    'credentials',
  ].flatMap((f) => [f, `*.${f}`, `*.*.${f}`, `*.*.*.${f}`]),
];

/** Creates the process logger: structured JSON with credentials redacted. */
export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env['STEWARD_LOG_LEVEL'] ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      base: { service: 'steward' },
    },
    options.destination ?? process.stdout,
  );
}
