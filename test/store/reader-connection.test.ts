/**
 * The reader connection on an SQLite file: reads what is committed without waiting for a
 * write transaction to finish, sees each commit at once, and cannot write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Database } from '../../src/store/db';
import { defaultPolicy } from '../../src/domain/policy';
import { createStores } from '../../src/store/stores';

const cal = defaultPolicy().calendar;

describe('the reader connection on an SQLite file', () => {
  let dir: string;
  let db: Database;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'carebridge-reader-'));
    db = openDatabase(`sqlite:${join(dir, 'carebridge.sqlite')}`);
    await migrate(db);
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const at = new Date('2026-12-04T14:00:00Z');
  const pending = (knex: Database['knex']) => createStores(knex, cal).outbox.pendingCount();

  it('is a connection of its own', () => {
    expect(db.reader).not.toBe(db.knex);
  });

  it('reads the committed state while a write transaction is still open, and each commit once it is made', async () => {
    await createStores(db.knex, cal).outbox.enqueue('case_card', '1', null, at);
    let release!: () => void;
    const open = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    const writing = db.knex.transaction(async (trx) => {
      await createStores(trx, cal).outbox.enqueue('case_card', '2', null, at);
      inside();
      await open;
    });
    await entered;
    // The writer's one connection is held by the transaction: only the reader can answer now.
    expect(await pending(db.reader)).toBe(1);
    release();
    await writing;
    expect(await pending(db.reader)).toBe(2);
  });

  it('refuses to write', async () => {
    await expect(createStores(db.reader, cal).outbox.enqueue('case_card', '3', null, at)).rejects.toThrow(/readonly/i);
    expect(await pending(db.knex)).toBe(0);
  });
});

describe('the reader elsewhere', () => {
  it('is the connection itself for an in-memory SQLite database (one connection holds it)', async () => {
    const db = openDatabase('sqlite::memory:');
    try {
      expect(db.reader).toBe(db.knex);
    } finally {
      await db.close();
    }
  });
});
