import type { Knex } from 'knex';

/**
 * App Home and the daily digest read the queue with bounded SQL instead of every open case.
 *
 * - `next_due_at`, `overdue_at` (domain/queue.ts `queueKeys`): when the case is next due (the
 *   lists' order) and when it becomes overdue (overdue means `overdue_at <= now`; due today
 *   means not overdue and `next_due_at` within today). The case store writes both with every
 *   case. A next promised action is a practice date, so its instants need the practice time
 *   zone, which migrations do not have: they start empty and the app fills them in at
 *   start-up (`CaseStore.fillQueueKeys`) before it serves anyone.
 * - `queue_counts`: open and unclaimed cases per location ('' for none) and lane, kept by
 *   triggers on `cases`, so every write path (one case, bulk intake, bulk escalation, a
 *   hand-made UPDATE) keeps them in the same transaction. On PostgreSQL the triggers are per
 *   statement over transition tables: a bulk insert updates each counter once, in a fixed
 *   order (no deadlock between two bulk writes), and a write that leaves the counted fields
 *   as they were touches no counter (no lock on it). Back-filled here, from the cases.
 * - Partial indexes over open cases for each list and count; predicates are written with
 *   literal constants, exactly as the store's queries, so both engines use them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.bigInteger('next_due_at');
    t.bigInteger('overdue_at');
  });
  // Lists are ordered by (next_due_at, id): each list index has those two next, so a list is
  // read in order and stops at its LIMIT; the columns after them let counts skip the table.
  await knex.raw(`CREATE INDEX cases_open_by_due ON cases (next_due_at, id, overdue_at, lane, location) WHERE state <> 'closed'`);
  await knex.raw(`CREATE INDEX cases_open_by_overdue ON cases (overdue_at, lane, location, owner_id) WHERE state <> 'closed'`);
  // owner_id first: one person's cases, and (owner_id IS NULL) the unclaimed, each in due order.
  await knex.raw(`CREATE INDEX cases_open_owner_due ON cases (owner_id, next_due_at, id, overdue_at) WHERE state <> 'closed'`);
  await knex.raw(`CREATE INDEX cases_open_backup_due ON cases (backup_id, next_due_at, id, overdue_at, owner_id) WHERE backup_id IS NOT NULL AND state <> 'closed'`);

  await knex.schema.createTable('queue_counts', (t) => {
    t.string('location', 100).notNullable();
    t.string('lane', 32).notNullable();
    t.integer('open_count').notNullable();
    t.integer('unclaimed_count').notNullable();
    t.primary(['location', 'lane']);
  });
  await knex.raw(`
    INSERT INTO queue_counts (location, lane, open_count, unclaimed_count)
    SELECT COALESCE(location, ''), lane, COUNT(*), SUM(CASE WHEN owner_id IS NULL THEN 1 ELSE 0 END)
    FROM cases WHERE state <> 'closed' GROUP BY COALESCE(location, ''), lane`);
  if (knex.client.config.client === 'pg') await createPostgresTriggers(knex);
  else await createSqliteTriggers(knex);
}

async function createPostgresTriggers(knex: Knex): Promise<void> {
  // Each statement's rows in and out, netted per counter; counters left unchanged are not touched.
  const apply = (rows: string) => `
      INSERT INTO queue_counts (location, lane, open_count, unclaimed_count)
      SELECT location, lane, SUM(open_delta), SUM(unclaimed_delta) FROM (${rows}) AS delta
      GROUP BY location, lane HAVING SUM(open_delta) <> 0 OR SUM(unclaimed_delta) <> 0
      ORDER BY location, lane
      ON CONFLICT (location, lane) DO UPDATE SET
        open_count = queue_counts.open_count + excluded.open_count,
        unclaimed_count = queue_counts.unclaimed_count + excluded.unclaimed_count;`;
  const added = `SELECT COALESCE(location, '') AS location, lane, 1 AS open_delta, CASE WHEN owner_id IS NULL THEN 1 ELSE 0 END AS unclaimed_delta FROM new_rows WHERE state <> 'closed'`;
  const removed = `SELECT COALESCE(location, '') AS location, lane, -1 AS open_delta, CASE WHEN owner_id IS NULL THEN -1 ELSE 0 END AS unclaimed_delta FROM old_rows WHERE state <> 'closed'`;
  await knex.raw(`
    CREATE FUNCTION cases_queue_counts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN ${apply(added)}
      ELSIF TG_OP = 'UPDATE' THEN ${apply(`${added} UNION ALL ${removed}`)}
      ELSE ${apply(removed)}
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE TRIGGER cases_queue_counts_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cases_queue_counts()`);
  await knex.raw(`CREATE TRIGGER cases_queue_counts_update AFTER UPDATE ON cases REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cases_queue_counts()`);
  await knex.raw(`CREATE TRIGGER cases_queue_counts_delete AFTER DELETE ON cases REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cases_queue_counts()`);
}

async function createSqliteTriggers(knex: Knex): Promise<void> {
  // SQLite has row triggers only; one writer at a time, so no lock order to keep.
  const add = (row: 'NEW' | 'OLD', sign: 1 | -1) => `
      INSERT OR IGNORE INTO queue_counts (location, lane, open_count, unclaimed_count) VALUES (COALESCE(${row}.location, ''), ${row}.lane, 0, 0);
      UPDATE queue_counts SET open_count = open_count + ${sign}, unclaimed_count = unclaimed_count + (CASE WHEN ${row}.owner_id IS NULL THEN ${sign} ELSE 0 END)
        WHERE location = COALESCE(${row}.location, '') AND lane = ${row}.lane;`;
  await knex.raw(`CREATE TRIGGER cases_queue_counts_insert AFTER INSERT ON cases WHEN NEW.state <> 'closed' BEGIN ${add('NEW', 1)} END`);
  await knex.raw(`CREATE TRIGGER cases_queue_counts_delete AFTER DELETE ON cases WHEN OLD.state <> 'closed' BEGIN ${add('OLD', -1)} END`);
  // An update moves the case out of its old counter and into its new one, when a counted field changed.
  const changed = `(OLD.state <> 'closed') <> (NEW.state <> 'closed') OR OLD.lane IS NOT NEW.lane OR OLD.location IS NOT NEW.location OR (OLD.owner_id IS NULL) <> (NEW.owner_id IS NULL)`;
  await knex.raw(`CREATE TRIGGER cases_queue_counts_update_out AFTER UPDATE ON cases WHEN OLD.state <> 'closed' AND (${changed}) BEGIN ${add('OLD', -1)} END`);
  await knex.raw(`CREATE TRIGGER cases_queue_counts_update_in AFTER UPDATE ON cases WHEN NEW.state <> 'closed' AND (${changed}) BEGIN ${add('NEW', 1)} END`);
}

export async function down(knex: Knex): Promise<void> {
  for (const trigger of ['cases_queue_counts_insert', 'cases_queue_counts_update', 'cases_queue_counts_delete', 'cases_queue_counts_update_out', 'cases_queue_counts_update_in']) {
    await knex.raw(knex.client.config.client === 'pg' ? `DROP TRIGGER IF EXISTS ${trigger} ON cases` : `DROP TRIGGER IF EXISTS ${trigger}`);
  }
  if (knex.client.config.client === 'pg') await knex.raw('DROP FUNCTION IF EXISTS cases_queue_counts()');
  await knex.schema.dropTableIfExists('queue_counts');
  for (const index of ['cases_open_backup_due', 'cases_open_owner_due', 'cases_open_by_overdue', 'cases_open_by_due']) {
    await knex.raw(`DROP INDEX IF EXISTS ${index}`);
  }
  await knex.schema.alterTable('cases', (t) => {
    t.dropColumn('overdue_at');
    t.dropColumn('next_due_at');
  });
}
