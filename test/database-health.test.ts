import { describe, expect, it } from 'vitest';
import { FixedClock } from '../src/clock';
import { DatabaseHealth, databaseFailureCode, isDatabaseFailure } from '../src/database-health';
import { captureLogs } from './support/log-capture';

const coded = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('database failures', () => {
  it('are told apart from refused statements and Slack errors', () => {
    for (const e of [coded('ECONNREFUSED'), coded('SQLITE_READONLY'), coded('SQLITE_BUSY'), coded('57P01'), coded('08006'), coded('57014'), coded('25006'), Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' }), new Error('Connection terminated unexpectedly')]) {
      expect(isDatabaseFailure(e), String((e as { code?: string }).code ?? e.message)).toBe(true);
    }
    for (const e of [coded('23505'), coded('SQLITE_CONSTRAINT_UNIQUE'), coded('P0001'), coded('slack_webapi_request_error'), new TypeError('x is undefined'), 'not an error']) {
      expect(isDatabaseFailure(e)).toBe(false);
    }
  });

  it('are named by code, never by message', () => {
    expect(databaseFailureCode(coded('57P01', 'terminating connection "Ottilie"'))).toBe('57P01');
    expect(databaseFailureCode(new Error('Connection terminated unexpectedly'))).toBe('connection_lost');
    expect(databaseFailureCode(new Error('Query read timeout'))).toBe('timeout');
  });

  it('log one line when an outage starts and one when it ends, however many calls fail', () => {
    const { logger, lines } = captureLogs('info');
    const clock = new FixedClock('2026-12-02T10:00:00Z');
    const health = new DatabaseHealth(logger, clock);
    health.recordSuccess();
    for (let i = 0; i < 50; i++) health.recordFailure(coded('ECONNREFUSED'), 'outbox');
    expect(health.snapshot()).toEqual({ ok: false, error: 'ECONNREFUSED', since: '2026-12-02T10:00:00.000Z' });
    clock.advance(30_000);
    health.recordSuccess();
    health.recordSuccess();
    expect(health.snapshot()).toEqual({ ok: true });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('the database is failing');
    expect(lines[1]).toContain('"downForMs":30000');
  });
});
