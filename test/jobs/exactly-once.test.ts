/**
 * Every job runs once per period: a repeat says so, a crash before commit leaves the
 * period to the next run, a crash after commit leaves the messages to the outbox
 * dispatcher, and two CareBridge instances on one PostgreSQL database post once.
 */
import { DatabaseHealth } from '../../src/database-health';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock';
import { defaultPolicy } from '../../src/domain/policy';
import { SlackHealth } from '../../src/slack/health';
import { dailyDigest } from '../../src/jobs/daily-digest';
import { runJob, type Job, type JobEnv } from '../../src/jobs/job-runner';
import { silentLogger } from '../../src/logger';
import { createCareBridge } from '../../src/main';
import { createDeliverers } from '../../src/slack/delivery/deliverers';
import { OutboxDispatcher } from '../../src/slack/delivery/dispatcher';
import { migrate, openDatabase } from '../../src/store/db';
import { createServices } from '../../src/services/services';
import { createStores } from '../../src/store/stores';
import { triggerEvent } from '../support/services';
import { BOT_USER_ID, CHANNELS, SLACK_API, recordSlack, startTestApp, testConfig, type TestApp } from '../support/slack';
import { ENGINES, createTestDatabase } from '../support/test-db';

const MONDAY_8AM = '2026-11-23T08:00:00-05:00';
const isDigestPost = (c: { method: string; body: Record<string, unknown> }) =>
  c.method === 'chat.postMessage' && c.body.channel === CHANNELS.coordinators && String(c.body.text).startsWith('Daily digest');

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe.each(ENGINES)('exactly once per period on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, { at: MONDAY_8AM });
    await t.careBridge.cases.openCase(triggerEvent({ occurredAt: new Date('2026-11-20T09:00:00-05:00') }));
    recordSlack();
    await t.deliver();
    nock.cleanAll();
  });
  afterAll(async () => {
    await t.close();
  });
  const env = (): JobEnv => t.careBridge;

  it('runs a period once however often it is asked, even concurrently, and says so', async () => {
    const calls = recordSlack();
    t.clock.set('2026-11-24T08:00:00-05:00');
    const outcomes = await Promise.all([runJob(dailyDigest, env()), runJob(dailyDigest, env()), runJob(dailyDigest, env())]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['already_ran', 'already_ran', 'done']);
    expect(outcomes.find((o) => o.status === 'already_ran')).toEqual({ status: 'already_ran', job: 'daily-digest', period: '2026-11-24' });
    await t.deliver();
    t.clock.set('2026-11-24T15:00:00-05:00');
    expect((await runJob(dailyDigest, env())).status).toBe('already_ran');
    await t.deliver();
    expect(calls.filter(isDigestPost)).toHaveLength(1);
  });

  it('a crash before commit claims nothing: the next run does the work, once', async () => {
    const calls = recordSlack();
    t.clock.set('2026-11-25T08:00:00-05:00');
    const crashing: Job = { ...dailyDigest, run: async (r) => {
      await dailyDigest.run(r);
      throw new Error('power cut');
    } };
    await expect(runJob(crashing, env())).rejects.toThrow('power cut');
    expect(await t.careBridge.stores.jobRuns.get('daily-digest', '2026-11-25')).toBeNull();
    expect(await t.careBridge.stores.outbox.pendingCount()).toBe(0);
    await t.deliver();
    expect(calls.filter(isDigestPost)).toHaveLength(0);
    expect((await runJob(dailyDigest, env())).status).toBe('done');
    await t.deliver();
    expect(calls.filter(isDigestPost)).toHaveLength(1);
    expect(await t.careBridge.stores.jobRuns.get('daily-digest', '2026-11-25')).toMatchObject({ finishedAt: expect.any(Date) });
  });

  it('a crash after commit (Slack failing, then the process gone) is finished by the dispatcher, never repeated', async () => {
    let failing = true;
    const calls = recordSlack((call) => (failing && call.method === 'chat.postMessage' ? { status: 500, body: { ok: false } } : undefined));
    t.clock.set('2026-11-26T08:00:00-05:00');
    expect((await runJob(dailyDigest, env())).status).toBe('done');
    await t.deliver();
    expect(calls.filter(isDigestPost)).toHaveLength(1); // attempted, refused
    // The process dies; a new CareBridge on the same database comes up once Slack is back.
    failing = false;
    const clock = new FixedClock('2026-11-26T08:10:00-05:00');
    const restarted = await createCareBridge(testConfig(), { clock, logger: silentLogger, db: t.db, botUserId: BOT_USER_ID, botId: 'B0BOT0001' });
    expect((await runJob(dailyDigest, restarted)).status).toBe('already_ran');
    expect(await restarted.dispatcher.kick()).toBe(1);
    expect(await restarted.dispatcher.kick()).toBe(0);
    expect(calls.filter(isDigestPost)).toHaveLength(2); // the refused attempt and the one that landed
    const digest = await t.db.knex('outbox').where({ kind: 'daily_digest', ref: '2026-11-26' });
    expect(digest).toHaveLength(1);
    expect(digest[0].delivered_at).not.toBeNull();
  });
});

describe.runIf(ENGINES.includes('postgres'))('two instances on one PostgreSQL database', () => {
  it('firing the digest at the same instant post it once, day after day', async () => {
    const db = await createTestDatabase('postgres');
    const schema = (db.knex.client.config as { searchPath: string[] }).searchPath[0]!;
    const second = openDatabase(process.env.TEST_DATABASE_URL!, { schema });
    try {
      const config = testConfig();
      const calls = recordSlack();
      const instances = [db.knex, second.knex].map((knex) => {
        const clock = new FixedClock(MONDAY_8AM);
        const policy = defaultPolicy();
        const stores = createStores(knex, policy.calendar);
        const client = new WebClient(config.SLACK_BOT_TOKEN, { slackApiUrl: `${SLACK_API}/api/`, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
        const deliverers = createDeliverers({ config, policy, clock, logger: silentLogger, ...createServices(stores, clock, policy) });
        const dispatcher = new OutboxDispatcher({ outbox: stores.outbox, client, clock, logger: silentLogger, health: new SlackHealth(), databaseHealth: new DatabaseHealth(silentLogger, clock), deliverers });
        const env: JobEnv = { stores, policy, clock, logger: silentLogger };
        return { clock, env, dispatcher };
      });
      await instances[0]!.env.stores.transaction(async (tx) => {
        await tx.cases.insertCase({ ...(await import('../../src/domain/new-case')).newCaseFromEvent(defaultPolicy(), triggerEvent(), new Date(MONDAY_8AM)) });
      });
      for (const day of ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']) {
        for (const i of instances) i.clock.set(`${day}T08:00:00-05:00`);
        const outcomes = await Promise.all(instances.map((i) => runJob(dailyDigest, i.env)));
        expect(outcomes.map((o) => o.status).sort()).toEqual(['already_ran', 'done']);
        // Both dispatchers drain at once: the outbox lease lets one of them send.
        const delivered = await Promise.all(instances.map((i) => i.dispatcher.kick()));
        expect(delivered.reduce((a, b) => a + b, 0)).toBe(1);
      }
      expect(calls.filter(isDigestPost).map((c) => String(c.body.text).slice(0, 26))).toEqual([
        'Daily digest Mon Nov 23: 1',
        'Daily digest Tue Nov 24: 1',
        'Daily digest Wed Nov 25: 1',
        'Daily digest Thu Nov 26: 1',
        'Daily digest Fri Nov 27: 1',
      ]);
    } finally {
      await second.close();
      await db.destroy();
    }
  });
});

describe('two processes on one SQLite file', () => {
  it('released together, claim the digest once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carebridge-two-'));
    const path = join(dir, 'carebridge.sqlite');
    const db = openDatabase(`sqlite:${path}`);
    let children: Instance[] = [];
    try {
      await migrate(db);
      const script = join(import.meta.dirname, 'fixtures', 'run-digest-on-go.ts');
      children = [1, 2].map(() => startInstance(script, [path, MONDAY_8AM]));
      // Both connections are open and waiting: release them together.
      await Promise.all(children.map((c) => c.ready));
      for (const c of children) c.go();
      const outputs = await Promise.all(children.map((c) => c.done));
      const outcomes = outputs.map((stdout) => JSON.parse(stdout.trim().split('\n').at(-1)!));
      expect(outcomes.map((o) => o.status).sort()).toEqual(['already_ran', 'done']);
      expect(await db.knex('outbox').where({ kind: 'daily_digest' }).count<{ n: number }[]>('* as n')).toEqual([{ n: 1 }]);
    } finally {
      for (const c of children) c.stop();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

/** One fixture instance in a child process; see fixtures/run-digest-on-go.ts. */
interface Instance {
  /** Resolves once the child says its connection is open; rejects if it exits first. */
  ready: Promise<void>;
  /** Releases the child to run the digest. */
  go(): void;
  /** The child's stdout once it has exited cleanly. */
  done: Promise<string>;
  stop(): void;
}

function startInstance(script: string, args: string[]): Instance {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let markReady!: () => void;
  let failReady!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (failReady = reject)));
  const done = new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (/^ready$/m.test(stdout)) markReady();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.on('error', () => undefined); // a child that died already: `done` says why
    child.on('error', (error) => (failReady(error), reject(error)));
    child.on('close', (code) => {
      const error = new Error(`instance exited with ${code}: ${stderr}`);
      failReady(error); // no-op once ready
      if (code === 0) resolve(stdout);
      else reject(error);
    });
  });
  // Whoever awaits these sees their rejections; these only keep an early failure from being reported as unhandled.
  ready.catch(() => undefined);
  done.catch(() => undefined);
  return { ready, go: () => child.stdin.end('go\n'), done, stop: () => void child.kill() };
}
