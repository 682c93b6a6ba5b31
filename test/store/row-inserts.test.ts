/**
 * Rows written together (bulk intake and CSV import) on each engine: every row lands,
 * rows whose unique value is already there (or earlier in the call) are skipped and not
 * returned, more rows than SQLite binds in one statement go in one call, and a row that
 * fails leaves nothing written and an error naming no value.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertRows } from '../../src/store/row-inserts';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/test-db';

describe.each(ENGINES)('insertRows on %s', (engine) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(engine);
    await db.knex.schema.createTable('scratch_rows', (t) => {
      t.increments('id');
      t.string('key').notNullable().unique();
      t.string('name').notNullable();
      t.boolean('flag');
      t.bigInteger('at');
    });
  });
  afterEach(async () => {
    await db.destroy();
  });

  const rowsOf = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => ({ key: `k${from + i}`, name: `name ${from + i}`, flag: (from + i) % 2 === 0, at: 1_700_000_000_000 + from + i }));

  it('writes every row and returns them as stored', async () => {
    const back = await insertRows(db.knex, 'scratch_rows', rowsOf(0, 3), { returning: true });
    expect(back.map((r) => [r.key, r.name, Boolean(r.flag), Number(r.at)])).toEqual([
      ['k0', 'name 0', true, 1_700_000_000_000],
      ['k1', 'name 1', false, 1_700_000_000_001],
      ['k2', 'name 2', true, 1_700_000_000_002],
    ]);
    expect(await insertRows(db.knex, 'scratch_rows', rowsOf(3, 5))).toEqual([]);
    expect(Number((await db.knex('scratch_rows').count('* as n'))[0]!.n)).toBe(5);
  });

  it('skips rows whose unique value is already there or earlier in the call, and returns only the rows inserted', async () => {
    await insertRows(db.knex, 'scratch_rows', rowsOf(0, 2));
    const rows = [...rowsOf(1, 4), { ...rowsOf(3, 4)[0]!, name: 'again' }];
    const back = await insertRows(db.knex, 'scratch_rows', rows, { skipConflictOn: 'key', returning: true });
    expect(back.map((r) => r.key).sort()).toEqual(['k2', 'k3']);
    expect((await db.knex('scratch_rows').where({ key: 'k3' }))[0]!.name).toBe('name 3');
  });

  it('takes more rows in one call than SQLite binds in one statement', async () => {
    // 10,000 rows of 4 values: 40,000, past the 32,766 SQLite binds in one statement.
    const back = await insertRows(db.knex, 'scratch_rows', rowsOf(0, 10_000), { skipConflictOn: 'key', returning: true });
    expect(back).toHaveLength(10_000);
  });

  it('writes nothing when a row fails, and the error names no value', async () => {
    const rows = [...rowsOf(0, 5), { key: 'k-secret', name: null, flag: null, at: null }, ...rowsOf(5, 8)];
    const failed = await insertRows(db.knex, 'scratch_rows', rows).then(
      () => null,
      (error: Error) => error,
    );
    expect(failed).toBeInstanceOf(Error);
    expect(String(failed!.message)).not.toContain('k-secret');
    expect(JSON.stringify({ ...failed })).not.toContain('k-secret');
    expect(Number((await db.knex('scratch_rows').count('* as n'))[0]!.n)).toBe(0);
  });

  it('writes inside the caller\'s transaction: its rollback takes the rows back', async () => {
    await expect(
      db.knex.transaction(async (trx) => {
        await insertRows(trx, 'scratch_rows', rowsOf(0, 3));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(Number((await db.knex('scratch_rows').count('* as n'))[0]!.n)).toBe(0);
  });
});
