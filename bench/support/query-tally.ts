import type { Knex } from 'knex';

/** Statements run and time spent in them. */
export interface Tally {
  statements: number;
  /** Time between each statement being sent and its answer, summed (ms). */
  sqlMs: number;
}

interface QueryData {
  __knexQueryUid: string;
}

/**
 * Counts the SQL statements `fn` runs through `knex` and the time spent waiting on them:
 * the first thing to know about a slow figure is whether it runs too many statements or
 * spends its time outside the database. Used on untimed runs (the listeners cost a little).
 */
export async function tallyQueries<T>(knex: Knex, fn: () => Promise<T>): Promise<{ result: T; tally: Tally }> {
  const started = new Map<string, number>();
  const tally: Tally = { statements: 0, sqlMs: 0 };
  const onQuery = (q: QueryData) => started.set(q.__knexQueryUid, performance.now());
  const onDone = (_response: unknown, q: QueryData) => {
    const start = started.get(q.__knexQueryUid);
    if (start === undefined) return;
    started.delete(q.__knexQueryUid);
    tally.statements += 1;
    tally.sqlMs += performance.now() - start;
  };
  knex.on('query', onQuery).on('query-response', onDone);
  try {
    return { result: await fn(), tally };
  } finally {
    knex.off('query', onQuery);
    knex.off('query-response', onDone);
  }
}
