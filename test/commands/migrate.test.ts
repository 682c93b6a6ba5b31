import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { migrateCommand } from '../../src/commands/migrate';

/** Runs `carebridge migrate` and returns what it printed. */
async function migrateOutput(databaseUrl: string): Promise<string> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    expect(await migrateCommand([], { DATABASE_URL: databaseUrl })).toBe(0);
    return log.mock.calls.map((c) => c.join(' ')).join('\n');
  } finally {
    log.mockRestore();
  }
}

async function tableNames(url: string): Promise<string[]> {
  const client = url.startsWith('sqlite:') ? 'better-sqlite3' : 'pg';
  const connection = url.startsWith('sqlite:') ? { filename: url.slice(7) } : url;
  const db = knexFactory({ client, connection, useNullAsDefault: true });
  try {
    const rows = url.startsWith('sqlite:')
      ? await db.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
      : (await db.raw("select table_name as name from information_schema.tables where table_schema = 'public'")).rows;
    return (rows as { name: string }[]).map((r) => r.name).sort();
  } finally {
    await db.destroy();
  }
}

const EXPECTED_TABLES = ['away_periods', 'breach_alerts', 'case_events', 'cases', 'escalations', 'job_runs', 'notes', 'outbox', 'processed_requests', 'slack_messages'];

describe('carebridge migrate', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('creates the schema in an empty SQLite file (and its folder), and a second run changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carebridge-migrate-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const url = `sqlite:${join(dir, 'nested', 'carebridge.sqlite')}`;
    expect(await migrateOutput(url)).toMatch(/^Applied \d+ migration\(s\): 20261127210000_create_core_tables/);
    expect(await tableNames(url)).toEqual(expect.arrayContaining(EXPECTED_TABLES));
    const before = await tableNames(url);
    expect(await migrateOutput(url)).toBe('Database schema is up to date; nothing to do.');
    expect(await tableNames(url)).toEqual(before);
  });

  it.runIf(process.env.TEST_DATABASE_URL)('creates the schema in an empty PostgreSQL database, and a second run changes nothing', async () => {
    const admin = knexFactory({ client: 'pg', connection: process.env.TEST_DATABASE_URL! });
    const name = `cb_migrate_${randomBytes(4).toString('hex')}`;
    await admin.raw('CREATE DATABASE ??', [name]);
    cleanups.push(async () => {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      await admin.destroy();
    });
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${name}`;
    expect(await migrateOutput(url.toString())).toMatch(/^Applied \d+ migration\(s\)/);
    expect(await tableNames(url.toString())).toEqual(expect.arrayContaining(EXPECTED_TABLES));
    expect(await migrateOutput(url.toString())).toBe('Database schema is up to date; nothing to do.');
  });
});
