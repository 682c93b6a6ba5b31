import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { systemClock, type Clock } from '../clock';
import { loadPracticeSettings } from '../config';
import { isoWeekOf, isoWeekRange } from '../domain/calendar';
import { isIsoWeek, shiftIsoWeek } from '../domain/metrics';
import { loadPolicy } from '../policy-file';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../reports/format';
import { computeWeeklyComparison } from '../services/metrics-service';
import { openDatabase } from '../store/db';
import { MetricsStore } from '../store/metrics-store';

const USAGE = `Usage: carebridge report [--week YYYY-Www] [--format ${REPORT_FORMATS.join('|')}]
  Prints the weekly metrics of an ISO week in the practice time zone, with the week
  before for comparison. Default: the last complete week, as text.
  Needs DATABASE_URL (and PRACTICE_TIMEZONE, POLICY_FILE when set); no Slack settings.`;

/** What `carebridge report` was asked for; `week` null means the last complete week. */
export interface ReportArgs {
  week: string | null;
  format: ReportFormat;
}

/** Reads `[--week YYYY-Www] [--format text|json|csv]` (also `--week=…`); a message instead when they are wrong. */
export function parseReportArgs(args: string[]): ReportArgs | { help: true } | { error: string } {
  const parsed: ReportArgs = { week: null, format: 'text' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return { help: true };
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag !== '--week' && flag !== '--format') return { error: `carebridge report: unknown option "${arg}"` };
    const value = inline ?? args[++i];
    if (value === undefined || value === '') return { error: `carebridge report: ${flag} needs a value` };
    if (flag === '--week') {
      if (!isIsoWeek(value)) return { error: `carebridge report: --week "${value}" is not an ISO week; write it YYYY-Www, e.g. 2026-W48` };
      parsed.week = value;
    } else {
      if (!(REPORT_FORMATS as readonly string[]).includes(value)) {
        return { error: `carebridge report: --format "${value}" is not one of ${REPORT_FORMATS.join(', ')}` };
      }
      parsed.format = value as ReportFormat;
    }
  }
  return parsed;
}

/** Where the report writes; the command passes the process's streams and the system clock. */
export interface ReportIo {
  clock: Clock;
  out(text: string): void;
  err(text: string): void;
}

/**
 * `carebridge report`: the same figures as the managers-channel post, printed. Exit 0 on
 * success, 2 for a bad argument or a week not over yet, 1 when there is no database to read;
 * settings problems are ConfigErrors (the CLI prints them and exits 78).
 */
export async function runReport(args: string[], env: NodeJS.ProcessEnv, io: ReportIo): Promise<number> {
  const parsed = parseReportArgs(args);
  if ('help' in parsed) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  if ('error' in parsed) {
    io.err(`${parsed.error}\n\n${USAGE}\n`);
    return 2;
  }
  const settings = loadPracticeSettings(env);
  const policy = loadPolicy(settings.POLICY_FILE, settings.PRACTICE_TIMEZONE);
  const now = io.clock.now();
  const lastComplete = shiftIsoWeek(isoWeekOf(policy.calendar, now), -1);
  const week = parsed.week ?? lastComplete;
  const { end } = isoWeekRange(policy.calendar, week);
  if (end.getTime() > now.getTime()) {
    io.err(`carebridge report: ${week} is not over yet in ${policy.calendar.timeZone}; the last complete week is ${lastComplete}\n`);
    return 2;
  }
  const url = settings.DATABASE_URL;
  // Reading must not leave an empty database file behind a mistyped path.
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : null;
  if (file && file !== ':memory:' && !existsSync(resolve(file))) {
    io.err(`carebridge report: no database at ${file}; check DATABASE_URL (or run carebridge migrate to create it)\n`);
    return 1;
  }
  const db = openDatabase(url);
  try {
    if (!(await db.knex.schema.hasTable('case_events'))) {
      io.err('carebridge report: the database has no CareBridge tables yet; run carebridge migrate first\n');
      return 1;
    }
    const { current, previous } = await computeWeeklyComparison(new MetricsStore(db.knex), policy, week, now);
    io.out(renderReport(current, previous, parsed.format));
    return 0;
  } finally {
    await db.close();
  }
}

/** The `carebridge report` command (registered in cli.ts). */
export async function reportCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runReport(args, env, {
    clock: systemClock,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}
