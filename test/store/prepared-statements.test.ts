/**
 * SQLite keeps the statements it prepared, per connection, and hands the same one back for
 * the same SQL text (the least recently used dropped past the limit); results stay right,
 * including across a schema change. PostgreSQL is left to the pg driver (knex gives no way
 * to name a prepared statement), so there is nothing of ours to test there.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PREPARED_STATEMENTS_KEPT, openDatabase, reusePreparedStatements, type Database } from '../../src/store/db';

describe('reusePreparedStatements', () => {
  it('prepares each SQL text once and drops the least recently used past the limit', () => {
    const prepared: string[] = [];
    const conn = { prepare: (sql: string) => (prepared.push(sql), { sql, n: prepared.length }) };
    reusePreparedStatements(conn, 2);
    const a = conn.prepare('a');
    conn.prepare('b');
    expect(conn.prepare('a')).toBe(a); // a is now the most recently used
    conn.prepare('c'); // drops b
    expect(conn.prepare('a')).toBe(a);
    conn.prepare('b'); // prepared again; drops c
    conn.prepare('c');
    expect(prepared).toEqual(['a', 'b', 'c', 'b', 'c']);
  });
});

describe('SQLite connection', () => {
  let db: Database;
  afterEach(async () => {
    await db.close();
  });

  it('answers a repeated query from the statement it prepared the first time', async () => {
    db = openDatabase('sqlite::memory:');
    await db.knex.schema.createTable('t', (t) => {
      t.increments('id');
      t.string('name');
    });
    await db.knex('t').insert({ name: 'one' });
    await db.knex('t').insert({ name: 'two' });
    expect(await db.knex('t').where('id', 2).select('name')).toEqual([{ name: 'two' }]);
    expect(await db.knex('t').where('id', 1).select('name')).toEqual([{ name: 'one' }]);
    const conn = (await db.knex.client.acquireConnection()) as { prepare(sql: string): unknown };
    try {
      const sql = db.knex('t').where('id', 1).select('name').toSQL().sql;
      expect(conn.prepare(sql)).toBe(conn.prepare(sql));
    } finally {
      db.knex.client.releaseConnection(conn);
    }
    expect(PREPARED_STATEMENTS_KEPT).toBeGreaterThan(0);
  });

  it('reads the new shape of a table through a kept statement after the schema changed', async () => {
    db = openDatabase('sqlite::memory:');
    await db.knex.schema.createTable('t', (t) => t.string('name'));
    await db.knex('t').insert({ name: 'one' });
    expect(await db.knex('t').select('*')).toEqual([{ name: 'one' }]);
    await db.knex.schema.alterTable('t', (t) => t.integer('n').defaultTo(7));
    expect(await db.knex('t').select('*')).toEqual([{ name: 'one', n: 7 }]);
  });
});
