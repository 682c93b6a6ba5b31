/**
 * The practice calendar: business hours, holidays and time-zone arithmetic.
 *
 * All arithmetic walks local wall-clock days (never minutes) and converts each
 * day's opening and closing wall times to instants separately, so a
 * daylight-saving change can never shift a due time by an hour. Pure: every
 * function takes the instants it needs; nothing reads the clock.
 */
import { isoWeekMonday, isoWeekOfDate } from './iso-week';
import { TZDate, tzOffset } from '@date-fns/tz';

export interface PracticeCalendar {
  /** IANA zone, e.g. `America/New_York`. */
  timeZone: string;
  /** ISO weekday numbers, 1 = Monday … 7 = Sunday. */
  businessDays: number[];
  /** Opening wall time `HH:MM` (local). */
  open: string;
  /** Closing wall time `HH:MM` (local); `24:00` means midnight at the end of the day. */
  close: string;
  /** Closed dates `YYYY-MM-DD` (local). */
  holidays: string[];
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** A calendar with no business day in this many days in a row is unusable (and would loop forever). */
const MAX_CLOSED_RUN = 800;

/** The default calendar: Monday–Friday 08:00–17:00, no holidays. */
export function defaultCalendar(timeZone = 'America/New_York'): PracticeCalendar {
  return { timeZone, businessDays: [1, 2, 3, 4, 5], open: '08:00', close: '17:00', holidays: [] };
}

/** True when `date` is a real calendar date written `YYYY-MM-DD`. */
export function isValidLocalDate(date: string): boolean {
  return dayNumber(date) !== null;
}

/** Minutes after local midnight for `HH:MM` (00:00–23:59, and 24:00), or null when malformed. */
export function wallTimeMinutes(hhmm: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h === 24 && min === 0) return 1440;
  return h <= 23 && min <= 59 ? h * 60 + min : null;
}

/** True when the runtime knows `timeZone` as an IANA zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone.length > 0;
  } catch {
    return false;
  }
}

/** Nominal business minutes in one business day (wall-clock close − open): 540 by default. */
export function businessDayMinutes(cal: PracticeCalendar): number {
  const idx = indexFor(cal);
  return idx.closeMin - idx.openMin;
}

/**
 * The longest run of closed days (weekends and holidays together) that a holiday falls
 * in, as its first date and length; null without holidays. Without holidays the longest
 * run is the gap between business weekdays, at most 6 days.
 */
export function longestClosedRun(cal: Pick<PracticeCalendar, 'businessDays' | 'holidays'>): { from: string; days: number } | null {
  const businessDays = new Set(cal.businessDays);
  const holidays = new Set(cal.holidays.map(requireDay));
  const closed = (day: number) => holidays.has(day) || !businessDays.has(isoWeekday(day));
  let longest: { from: string; days: number } | null = null;
  const seen = new Set<number>();
  for (const holiday of holidays) {
    if (seen.has(holiday)) continue;
    let first = holiday;
    while (closed(first - 1) && holiday - first < MAX_CLOSED_RUN) first--;
    let last = holiday;
    while (closed(last + 1) && last - first < MAX_CLOSED_RUN) last++;
    for (let day = first; day <= last; day++) seen.add(day);
    if (!longest || last - first + 1 > longest.days) longest = { from: dayString(first), days: last - first + 1 };
  }
  return longest;
}

/** The local date `YYYY-MM-DD` of instant `at` in the practice zone. */
export function practiceDate(cal: PracticeCalendar, at: Date): string {
  return dayString(localDayNumber(indexFor(cal), at));
}

/** True when `date` falls on a business weekday and is not a holiday. */
export function isBusinessDay(cal: PracticeCalendar, date: string): boolean {
  return isBusinessDayNumber(indexFor(cal), requireDay(date));
}

/**
 * The instant of wall-clock `hhmm` on local `date` in the practice zone. A wall time
 * skipped by a spring-forward change resolves to the same offset later (02:30 → 03:30);
 * a repeated one resolves to its first occurrence.
 */
export function atLocalTime(cal: PracticeCalendar, date: string, hhmm: string): Date {
  const idx = indexFor(cal);
  const minutes = wallTimeMinutes(hhmm);
  if (minutes === null) throw new RangeError(`Invalid wall time "${hhmm}" (expected HH:MM)`);
  return new Date(localInstant(idx.timeZone, requireDay(date), minutes));
}

/**
 * The instant reached after `minutes` of business time from `from`; negative minutes walk
 * backwards. Forwards it is the earliest such instant (so a window ending exactly at close
 * is due at close, and Friday 17:00 + 1 minute is Monday 08:01); backwards the latest.
 * Time outside business hours, weekends and holidays does not count. Zero returns `from`.
 */
export function addBusinessMinutes(cal: PracticeCalendar, from: Date, minutes: number): Date {
  const idx = indexFor(cal);
  const t = requireInstant(from);
  if (!Number.isFinite(minutes)) throw new RangeError(`Invalid minutes: ${minutes}`);
  if (minutes === 0) return new Date(t);
  let remaining = Math.abs(minutes) * MINUTE_MS;
  const step = minutes > 0 ? 1 : -1;
  let day = localDayNumber(idx, from);
  for (let closedRun = 0; closedRun < MAX_CLOSED_RUN; day += step) {
    const w = windowFor(idx, day);
    if (!w) {
      closedRun++;
      continue;
    }
    closedRun = 0;
    if (step > 0) {
      const start = Math.max(t, w.open);
      if (start >= w.close) continue;
      if (remaining <= w.close - start) return new Date(start + remaining);
      remaining -= w.close - start;
    } else {
      const end = Math.min(t, w.close);
      if (end <= w.open) continue;
      if (remaining <= end - w.open) return new Date(end - remaining);
      remaining -= end - w.open;
    }
  }
  throw new RangeError(`Practice calendar has no business day within ${MAX_CLOSED_RUN} days`);
}

/** `from` plus `days` whole business days: `addBusinessMinutes(days × businessDayMinutes)`. */
export function addBusinessDays(cal: PracticeCalendar, from: Date, days: number): Date {
  return addBusinessMinutes(cal, from, days * businessDayMinutes(cal));
}

/** `from` minus `days` business days, walking backwards in business time. */
export function subtractBusinessDays(cal: PracticeCalendar, from: Date, days: number): Date {
  return addBusinessMinutes(cal, from, -days * businessDayMinutes(cal));
}

/**
 * Business minutes in `[from, to)`; negative when `to` is before `from`. Exact, so it may be
 * fractional when the instants carry seconds. Inverse of `addBusinessMinutes`.
 */
export function businessMinutesBetween(cal: PracticeCalendar, from: Date, to: Date): number {
  const idx = indexFor(cal);
  const a = requireInstant(from);
  const b = requireInstant(to);
  if (b < a) return -businessMinutesBetween(cal, to, from);
  let total = 0;
  const last = localDayNumber(idx, to);
  for (let day = localDayNumber(idx, from); day <= last; day++) {
    const w = windowFor(idx, day);
    if (w) total += Math.max(0, Math.min(b, w.close) - Math.max(a, w.open));
  }
  return total / MINUTE_MS;
}

/** Pure date arithmetic on `YYYY-MM-DD` (no zone involved). */
export function addCalendarDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`Invalid day count: ${days}`);
  return dayString(requireDay(date) + days);
}

/** The ISO week `YYYY-Www` containing instant `at`, in the practice zone. */
export function isoWeekOf(cal: PracticeCalendar, at: Date): string {
  return isoWeekOfDate(practiceDate(cal, at));
}

/** Local Monday 00:00 to the next Monday 00:00 of ISO week `YYYY-Www`; throws on a malformed or nonexistent week. */
export function isoWeekRange(cal: PracticeCalendar, week: string): { start: Date; end: Date } {
  const monday = isoWeekMonday(week);
  if (monday === null) throw new RangeError(`Invalid ISO week "${week}" (expected YYYY-Www)`);
  return { start: atLocalTime(cal, monday, '00:00'), end: atLocalTime(cal, addCalendarDays(monday, 7), '00:00') };
}

// ---- internals -------------------------------------------------------------

interface Window {
  open: number;
  close: number;
}

interface CalendarIndex {
  timeZone: string;
  businessDays: ReadonlySet<number>;
  holidays: ReadonlySet<number>;
  openMin: number;
  closeMin: number;
  /** Day number → that day's business window as instants (null = closed); memoised because sweeps ask per case. */
  windows: Map<number, Window | null>;
}

// Keyed by the calendar's contents (not its identity) so callers may rebuild calendars freely.
const indexes = new Map<string, CalendarIndex>();

function indexFor(cal: PracticeCalendar): CalendarIndex {
  const key = `${cal.timeZone}|${cal.businessDays.join(',')}|${cal.open}|${cal.close}|${cal.holidays.join(',')}`;
  const found = indexes.get(key);
  if (found) {
    if (found.windows.size > 20_000) found.windows.clear();
    return found;
  }
  if (!isValidTimeZone(cal.timeZone)) throw new RangeError(`Unknown time zone "${cal.timeZone}"`);
  const openMin = wallTimeMinutes(cal.open);
  const closeMin = wallTimeMinutes(cal.close);
  if (openMin === null || closeMin === null || openMin >= closeMin) {
    throw new RangeError(`Invalid business hours ${cal.open}–${cal.close}`);
  }
  if (cal.businessDays.length === 0 || cal.businessDays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    throw new RangeError(`Invalid business days [${cal.businessDays.join(',')}]`);
  }
  const idx: CalendarIndex = {
    timeZone: cal.timeZone,
    businessDays: new Set(cal.businessDays),
    holidays: new Set(cal.holidays.map(requireDay)),
    openMin,
    closeMin,
    windows: new Map(),
  };
  if (indexes.size >= 64) indexes.clear();
  indexes.set(key, idx);
  return idx;
}

function isBusinessDayNumber(idx: CalendarIndex, day: number): boolean {
  return idx.businessDays.has(isoWeekday(day)) && !idx.holidays.has(day);
}

function windowFor(idx: CalendarIndex, day: number): Window | null {
  let w = idx.windows.get(day);
  if (w === undefined) {
    w = isBusinessDayNumber(idx, day)
      ? { open: localInstant(idx.timeZone, day, idx.openMin), close: localInstant(idx.timeZone, day, idx.closeMin) }
      : null;
    idx.windows.set(day, w);
  }
  return w;
}

/** Epoch milliseconds of wall time `minutes` after local midnight of `day`; TZDate resolves the offset per day. */
function localInstant(timeZone: string, day: number, minutes: number): number {
  const d = new Date(day * DAY_MS);
  return +new TZDate(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 0, minutes, timeZone);
}

function localDayNumber(idx: CalendarIndex, at: Date): number {
  const t = requireInstant(at);
  return Math.floor((t + tzOffset(idx.timeZone, at) * MINUTE_MS) / DAY_MS);
}

/** Days since 1970-01-01 for a valid `YYYY-MM-DD`, else null. */
function dayNumber(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

function requireDay(date: string): number {
  const n = dayNumber(date);
  if (n === null) throw new RangeError(`Invalid date "${date}" (expected YYYY-MM-DD)`);
  return n;
}

function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function isoWeekday(day: number): number {
  return new Date(day * DAY_MS).getUTCDay() || 7;
}

function requireInstant(at: Date): number {
  const t = at.getTime();
  if (Number.isNaN(t)) throw new RangeError('Invalid instant');
  return t;
}
