/**
 * Two instances starting at once on an empty PostgreSQL database both migrate and start:
 * the migrations run one instance after the other.
 */
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../src/store/db';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('migrations started by two instances at once on PostgreSQL', () => {
  it('both succeed, and the schema is migrated once', async () => {
    const schema = `cb_migrate_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = knexFactory({ client: 'pg', connection: url!, pool: { min: 0, max: 1 } });
    await admin.raw('CREATE SCHEMA ??', [schema]);
    const instances = [openDatabase(url!, { schema }), openDatabase(url!, { schema })];
    try {
      const applied = await Promise.all(instances.map((db) => migrate(db)));
      expect(applied.map((a) => a.length).sort((a, b) => a - b)[0]).toBe(0);
      expect(Math.max(...applied.map((a) => a.length))).toBeGreaterThan(5);
      const [row] = await admin.withSchema(schema).from('knex_migrations').count<{ n: string }[]>('* as n');
      expect(Number(row!.n)).toBe(Math.max(...applied.map((a) => a.length)));
    } finally {
      for (const db of instances) await db.close();
      await admin.raw('DROP SCHEMA ?? CASCADE', [schema]);
      await admin.destroy();
    }
  });
});
