import pino, { type DestinationStream, type Logger } from 'pino';
import { isDatabaseError, isScrubbed, scrubDatabaseError, withoutQuotedValues } from './db-errors';

export type { Logger };

/**
 * Structured logs. Log case ids, numbers, lanes and Slack error codes only: never a
 * patient field or note text. The redaction list and the error serializer are a safety
 * net, not a licence: database errors lose their bound values (store/db-errors.ts) at
 * the knex layer already, and again here for any that did not pass through it.
 */
export function createLogger(level: string = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'carebridge' },
      serializers: { err: safeError, error: safeError },
      redact: {
        paths: ['patient', '*.patient', 'mrn', '*.mrn', 'name', '*.name', 'phone', '*.phone', 'dob', '*.dob', 'details', '*.details', 'token', '*.token'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** An `err`/`error` field: errors serialized without the values a database error can carry. */
function safeError(value: unknown): unknown {
  if (typeof value === 'string') return /^\s*(insert|update|delete|select|with)\b/i.test(value) ? withoutQuotedValues(value) : value;
  if (!(value instanceof Error)) return value;
  const serialized = pino.stdSerializers.err(value) as unknown as Record<string, unknown>;
  delete serialized.bindings;
  if (!isDatabaseError(value) || isScrubbed(value)) return serialized;
  const copy = Object.assign(Object.create(Object.getPrototypeOf(value) as object) as Error, value, { message: value.message, stack: value.stack });
  scrubDatabaseError(copy);
  return pino.stdSerializers.err(copy);
}

/** A logger that writes nothing (tests, benchmarks). */
export const silentLogger: Logger = pino({ level: 'silent' });
