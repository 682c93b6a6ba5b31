import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs. Log case ids, numbers, lanes and Slack error codes only: never a
 * patient field or note text. The redaction list is a safety net, not a licence.
 */
export function createLogger(level: string = 'info'): Logger {
  return pino({
    level,
    base: { app: 'carebridge' },
    redact: {
      paths: ['patient', '*.patient', 'mrn', '*.mrn', 'name', '*.name', 'phone', '*.phone', 'dob', '*.dob', 'details', '*.details', 'token', '*.token'],
      censor: '[redacted]',
    },
  });
}

/** A logger that writes nothing (tests, benchmarks). */
export const silentLogger: Logger = pino({ level: 'silent' });
