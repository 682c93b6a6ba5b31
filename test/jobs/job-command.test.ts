import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli';
import { jobCommand, parseJobArgs } from '../../src/commands/job';
import { CHANNELS, SIGNING_SECRET, SLACK_API, recordSlack } from '../support/slack';

const dir = mkdtempSync(join(tmpdir(), 'carebridge-job-'));
const env = {
  SLACK_BOT_TOKEN: 'xoxb-test-token',
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: `${SLACK_API}/api/`,
  SLACK_COORDINATORS_CHANNEL: CHANNELS.coordinators,
  SLACK_PROVIDERS_CHANNEL: CHANNELS.providers,
  SLACK_MANAGERS_CHANNEL: CHANNELS.managers,
  COORDINATORS: 'U0COORD01',
  PROVIDERS: 'U0PROV001',
  MANAGERS: 'U0MGR0001',
  DATABASE_URL: `sqlite:${join(dir, 'carebridge.sqlite')}`,
  LOG_LEVEL: 'silent',
};

/** Runs the command, capturing what it prints. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  try {
    const code = await jobCommand(args, env);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('carebridge job', () => {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(() => nock.cleanAll());
  afterAll(() => {
    nock.enableNetConnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [[], /name the job to run \(sla-sweep, daily-digest, weekly-report\)/],
    [['digest'], /unknown job "digest"; the jobs are sla-sweep, daily-digest, weekly-report/],
    [['daily-digest', '--at'], /--at needs a time/],
    [['daily-digest', '--at', 'tomorrow'], /--at "tomorrow" is not an ISO time with an offset/],
    [['daily-digest', '--at', '2026-11-25T08:00'], /not an ISO time with an offset/],
    [['daily-digest', '--at', '2026-13-45T08:00:00Z'], /not an ISO time with an offset/],
    [['daily-digest', '--now'], /unknown option "--now"/],
  ])('refuses %j with a clear message and exit code 2, touching nothing', async (args, message) => {
    const { code, err, out } = await run(args as string[]);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err).toContain('Usage: carebridge job <sla-sweep|daily-digest|weekly-report> [--at <ISO time>]');
    expect(out).toBe('');
  });

  it('reads --at in both spellings', () => {
    expect(parseJobArgs(['sla-sweep', '--at=2026-11-25T13:00:00Z'])).toEqual({ name: 'sla-sweep', at: new Date('2026-11-25T13:00:00Z') });
    expect(parseJobArgs(['weekly-report'])).toEqual({ name: 'weekly-report', at: null });
  });

  it('runs the digest as of --at, posts it, and on a second run says it already ran', async () => {
    const calls = recordSlack();
    const first = await run(['daily-digest', '--at', '2026-11-25T08:00:00-05:00']);
    expect(first.code).toBe(0);
    expect(first.out.split('\n')).toEqual([
      'daily-digest 2026-11-25: digest queued for the coordinators channel (0 open, 0 unclaimed, 0 due today, 0 overdue)',
      'daily-digest 2026-11-25: posted (1 Slack message(s) delivered)',
    ]);
    expect(calls.map((c) => [c.method, c.body.channel])).toEqual([['chat.postMessage', CHANNELS.coordinators]]);
    const again = await run(['daily-digest', '--at', '2026-11-25T16:00:00-05:00']);
    expect(again).toEqual({ code: 0, out: 'daily-digest 2026-11-25: already ran for 2026-11-25; nothing to do', err: '' });
    expect(calls).toHaveLength(1);
  });

  it('runs a sweep that finds nothing and says there was nothing to post', async () => {
    const calls = recordSlack();
    const { code, out } = await run(['sla-sweep', '--at', '2026-11-24T10:02:00-05:00']);
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      'sla-sweep 2026-11-24T15:00Z: 0 new breach(es) alerted (0 DM(s), 0 channel summary); 0 reminder(s) before a due time; 0 escalation(s) raised; 0 re-raised',
      'sla-sweep 2026-11-24T15:00Z: nothing to post',
    ]);
    expect(calls).toEqual([]);
  });

  it('says why there is nothing to do on a weekend', async () => {
    const { code, out } = await run(['daily-digest', '--at', '2026-11-28T08:00:00-05:00']);
    expect(code).toBe(0);
    expect(out).toBe('daily-digest: 2026-11-28 is not a business day (weekend or holiday); nothing to do');
  });

  it('keeps the message for the running app when Slack is down, and says so', async () => {
    nock(SLACK_API).persist().post(/\/api\/.*/).reply(503, 'unavailable');
    const { code, out } = await run(['daily-digest', '--at', '2026-11-27T08:00:00-05:00']);
    expect(code).toBe(0);
    expect(out).toContain('daily-digest 2026-11-27: queued; 0 Slack message(s) delivered, 1 waiting for Slack (the running app retries them)');
  });

  it('is listed by `carebridge help` and reachable through the CLI', async () => {
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await main(['help'], env)).toBe(0);
      expect(await main(['job', 'nightly'], env)).toBe(2);
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
    expect(out.join('\n')).toMatch(/ {2}job {8}run one scheduled job once: carebridge job <sla-sweep\|daily-digest\|weekly-report> \[--at <ISO time>\]/);
  });
});
