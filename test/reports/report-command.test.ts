/** `carebridge report`: formats, the default week, and clear refusals of bad arguments. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli';
import { FixedClock } from '../../src/clock';
import { parseReportArgs, runReport } from '../../src/commands/report';
import { migrate, openDatabase } from '../../src/store/db';
import { buildFortnight } from '../metrics/week-fixture';

/** Tuesday 1 December 2026, 09:00 New York: the last complete week is 2026-W48. */
const NOW = '2026-12-01T09:00:00-05:00';

describe('carebridge report', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cb-report-'));
    const db = openDatabase(`sqlite:${join(dir, 'cb.sqlite')}`);
    await migrate(db);
    await buildFortnight({ ...db, destroy: () => db.close() });
    await db.close();
    // The Thanksgiving holiday comes from the policy file, as in a real practice.
    writeFileSync(join(dir, 'policy.json'), JSON.stringify({ calendar: { holidays: ['2026-11-26'] } }));
    env = { DATABASE_URL: `sqlite:${join(dir, 'cb.sqlite')}`, PRACTICE_TIMEZONE: 'America/New_York', POLICY_FILE: join(dir, 'policy.json') };
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(args: string[], at = NOW, e = env) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runReport(args, e, { clock: new FixedClock(at), out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join(''), err: err.join('') };
  }

  it('prints the last complete week as text by default, with the holiday from the policy file', async () => {
    const { code, out, err } = await run([]);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toContain('CareBridge weekly report · 2026-W48');
    expect(out).toMatch(/First response, median\s+3\.0 h/); // C's holiday response counts 1 h, not 3
  });

  it('prints JSON and CSV for a named week', async () => {
    const json = await run(['--week', '2026-W47', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ week: '2026-W47', previousWeek: '2026-W46' });
    const csv = await run(['--week=2026-W48', '--format=csv']);
    expect(csv.code).toBe(0);
    expect(csv.out.split('\n')[0]).toBe('week,scope,metric,value,previous,change');
    expect(csv.out).toContain('2026-W48,referral,referral_loop_closed,0.5,,');
  });

  it.each([
    [['--week', '2026-48'], '--week "2026-48" is not an ISO week; write it YYYY-Www'],
    [['--week', '2025-W53'], '--week "2025-W53" is not an ISO week'],
    [['--week'], '--week needs a value'],
    [['--format', 'xml'], '--format "xml" is not one of text, json, csv'],
    [['--weeks', '2026-W48'], 'unknown option "--weeks"'],
    [['2026-W48'], 'unknown option "2026-W48"'],
  ])('refuses %j with exit 2 and a clear message', async (args, message) => {
    const { code, out, err } = await run(args);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(`carebridge report: ${message}`);
    expect(err).toContain('Usage: carebridge report');
  });

  it('refuses a week that is not over yet, naming the last complete one', async () => {
    const { code, err } = await run(['--week', '2026-W49']);
    expect(code).toBe(2);
    expect(err).toBe('carebridge report: 2026-W49 is not over yet in America/New_York; the last complete week is 2026-W48\n');
  });

  it('says so when there is no database, without creating one', async () => {
    const missing = join(dir, 'nope', 'cb.sqlite');
    const { code, err } = await run([], NOW, { ...env, DATABASE_URL: `sqlite:${missing}` });
    expect(code).toBe(1);
    expect(err).toContain(`no database at ${missing}`);
    expect(existsSync(join(dir, 'nope'))).toBe(false);
  });

  it('is registered in the CLI and needs no Slack settings', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['report', '--format', 'xml'], env)).toBe(2);
      expect(await main(['report', '--week', '2026-W48'], { ...env, PRACTICE_TIMEZONE: 'Mars/Olympus' })).toBe(78);
      expect(String(error.mock.calls.at(-1)?.[0])).toContain('PRACTICE_TIMEZONE');
      expect(await main(['--help'], env)).toBe(0);
      expect(String(log.mock.calls.at(-1)?.[0])).toMatch(/report\s+print the weekly metrics/);
    } finally {
      error.mockRestore();
      log.mockRestore();
      write.mockRestore();
    }
  });

  it('parses arguments without touching the environment', () => {
    expect(parseReportArgs([])).toEqual({ week: null, format: 'text' });
    expect(parseReportArgs(['--format', 'csv', '--week', '2026-W01'])).toEqual({ week: '2026-W01', format: 'csv' });
    expect(parseReportArgs(['-h'])).toEqual({ help: true });
  });
});
