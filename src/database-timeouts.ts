/* A module without imports, so reading the settings does not load the database drivers. */

/** How long CareBridge waits on the database before it gives up on a call (and answers "try again"). */
export interface DatabaseTimeouts {
  /** Opening a PostgreSQL connection. */
  connectMs: number;
  /** Waiting for a free connection from the pool. */
  acquireMs: number;
  /** One statement (PostgreSQL's statement_timeout; the client gives up a second later if the server never answers). */
  statementMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { connectMs: 2_000, acquireMs: 2_000, statementMs: 10_000 };
