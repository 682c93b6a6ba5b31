/**
 * Whether the database is answering, as CareBridge last found it. Every part that talks to
 * the database (the outbox, jobs, Slack listeners, intake) reports failures and successes
 * here, so an outage is logged once when it starts and once when it ends, never once per
 * poll, and `/healthz` can say since when the database has been failing.
 */
import type { Clock } from './clock';
import type { Logger } from './logger';
import { isDatabaseError } from './db-errors';

/** Network failures of a database connection (pg, knex's pool), by error code. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** Messages of connection failures that carry no code (pg and knex); they quote no values. */
const CONNECTION_MESSAGES = /Connection terminated|timeout expired|operation timed out|Unable to acquire a connection|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|Timeout acquiring a connection|Query read timeout|connection is closed|database is closed/i;

/**
 * SQLite result codes of a database that cannot take the work now (locked, read-only,
 * full, unreadable), as opposed to a statement it refused (a constraint, a bug).
 */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|READONLY|IOERR|FULL|CANTOPEN|CORRUPT|NOTADB|PERM|PROTOCOL)/;
/**
 * PostgreSQL SQLSTATE classes and codes of the same: connection exceptions (08), out of
 * resources (53), operator intervention and shutdowns (57P), a statement timeout (57014),
 * a read-only server (25006), system errors (58).
 */
const POSTGRES_UNAVAILABLE = /^(08|53|57P|58)|^57014$|^25006$/;

/**
 * True for an error that means the database is failing or out of reach, so the user should
 * try again later; false for a Slack error or a statement the database refused (a
 * constraint or a bug), which are reported as what they are.
 */
export function isDatabaseFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('slack_')) return false;
  if (isDatabaseError(error)) return SQLITE_UNAVAILABLE.test(code as string) || POSTGRES_UNAVAILABLE.test(code as string);
  if (error.name === 'KnexTimeoutError') return true;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  return CONNECTION_MESSAGES.test(error.message);
}

/** What names a database failure in logs and /healthz: its code or kind, never its message (it may quote values). */
export function databaseFailureCode(error: unknown): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (typeof code === 'string' && code !== '') return code;
  if (error instanceof Error && /timeout/i.test(error.message)) return 'timeout';
  if (error instanceof Error && CONNECTION_MESSAGES.test(error.message)) return 'connection_lost';
  return typeof name === 'string' && name !== '' ? name : 'database_error';
}

export interface DatabaseHealthSnapshot {
  ok: boolean;
  error?: string;
  /** When the current outage was first seen. */
  since?: string;
}

export class DatabaseHealth {
  private outage: { since: Date; code: string; where: string } | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  /** A database call failed; the first failure of an outage is logged, the rest only counted. */
  recordFailure(error: unknown, where: string): void {
    if (this.outage) return;
    const code = databaseFailureCode(error);
    this.outage = { since: this.clock.now(), code, where };
    this.logger.error({ databaseError: code, where }, 'the database is failing; CareBridge keeps running, answers "try again", and retries until it is back');
  }

  /** A database call succeeded: an outage in progress is over. */
  recordSuccess(): void {
    if (!this.outage) return;
    const downForMs = this.clock.now().getTime() - this.outage.since.getTime();
    this.logger.info({ databaseError: this.outage.code, downForMs }, 'the database is answering again');
    this.outage = null;
  }

  get failing(): boolean {
    return this.outage !== null;
  }

  snapshot(): DatabaseHealthSnapshot {
    if (!this.outage) return { ok: true };
    return { ok: false, error: this.outage.code, since: this.outage.since.toISOString() };
  }
}
