import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger';
import type { Database } from '../../src/store/db';

/** CareBridge's real logger (serializers, redaction) writing into `lines`, so a test can read every line. */
export function captureLogs(level = 'debug'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter((l) => l !== ''));
      done();
    },
  });
  return { logger: createLogger(level, stream), lines };
}

/** Every log line that contains one of `secrets` (case-insensitive), labelled with the secret's name. */
export function logLeaks(lines: readonly string[], secrets: Record<string, string>): string[] {
  const leaks: string[] = [];
  for (const line of lines) {
    for (const [what, value] of Object.entries(secrets)) {
      // Values are matched as written and as JSON would escape them in a log line.
      const forms = [value, JSON.stringify(value).slice(1, -1)].map((v) => v.toLowerCase());
      if (forms.some((v) => line.toLowerCase().includes(v))) leaks.push(`${what} in: ${line.slice(0, 300)}`);
    }
  }
  return leaks;
}

/**
 * Makes every insert into `table` fail inside the database, the way a violated
 * constraint does, with an error that quotes the row's `column` the way PostgreSQL's
 * own errors quote values (message and DETAIL). Returns the undo.
 */
export async function failInserts(db: Database, table: string, column: string): Promise<() => Promise<void>> {
  const name = `cb_fail_${table}`;
  if (db.engine === 'sqlite') {
    await db.knex.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'constraint failed'); END`);
    return async () => void (await db.knex.raw(`DROP TRIGGER ${name}`));
  }
  await db.knex.raw(`
    CREATE FUNCTION ${name}() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION 'new row violates check constraint for value "%"', NEW.${column}
        USING ERRCODE = 'check_violation', DETAIL = 'Failing row contains (' || NEW.${column} || ').';
    END $$ LANGUAGE plpgsql`);
  await db.knex.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  return async () => {
    await db.knex.raw(`DROP TRIGGER ${name} ON ${table}`);
    await db.knex.raw(`DROP FUNCTION ${name}()`);
  };
}
