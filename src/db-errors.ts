/**
 * Database errors without the values that caused them. Drivers and knex put bound
 * values into errors: knex prefixes the message with the SQL and its values filled in,
 * PostgreSQL adds `detail` (`Key (external_id)=(…) already exists.`), `where` and
 * quotes values in some messages (`invalid input syntax for type bigint: "…"`).
 * Those values are names, MRNs and note text, so they must never reach a log.
 */

/** Properties that can carry bound values; what stays (code, constraint, table, column) names things, not data. */
const VALUE_CARRYING = ['detail', 'where', 'hint', 'parameters', 'bindings', 'internalQuery', 'position', 'internalPosition', 'file', 'line'] as const;

const SCRUBBED = Symbol('carebridge.scrubbed');

/** The same text with everything quoted ('…' or "…") blanked: identifiers are lost too, values never leak. */
export function withoutQuotedValues(text: string): string {
  return text.replace(/"[^"]*"/g, '"…"').replace(/'[^']*'/g, "'…'");
}

/** True for errors from better-sqlite3 (`SQLITE_…` codes) and pg (five-character SQLSTATE codes). */
export function isDatabaseError(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && (/^SQLITE_/.test(code) || /^[0-9A-Z]{5}$/.test(code));
}

/** True once `scrubDatabaseError` has run on the error. */
export function isScrubbed(error: Error): boolean {
  return (error as { [SCRUBBED]?: boolean })[SCRUBBED] === true;
}

/**
 * Strips bound values from a database error in place: the value-carrying fields go, and
 * the message keeps the SQL (placeholders only: knex runs with `compileSqlOnError: false`)
 * and the driver's message with anything quoted blanked. The stack's first line follows.
 * `sql` is the statement knex ran, so its quoted identifiers can be kept.
 */
export function scrubDatabaseError(error: unknown, sql?: string): void {
  if (!(error instanceof Error) || isScrubbed(error)) return;
  const record = error as unknown as Record<string, unknown>;
  for (const key of VALUE_CARRYING) delete record[key];
  const prefix = sql ? `${sql} - ` : '';
  const message = prefix && error.message.startsWith(prefix) ? prefix + withoutQuotedValues(error.message.slice(prefix.length)) : withoutQuotedValues(error.message);
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  error.message = message;
  error.stack = [`${error.name}: ${message}`, ...frames].join('\n');
  Object.defineProperty(error, SCRUBBED, { value: true });
}
