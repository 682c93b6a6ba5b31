/**
 * ISO week labels (`YYYY-Www`) as calendar labels, with date-fns doing the ISO arithmetic.
 * Which instants a week covers depends on the practice zone: see `isoWeekRange` in calendar.ts.
 */
import { TZDate } from '@date-fns/tz';
import { addWeeks, format, getISOWeek, getISOWeekYear, setISOWeek, startOfISOWeek } from 'date-fns';

const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

/** Noon UTC of a date `YYYY-MM-DD`: a day date-fns reads the same in any process time zone. */
const day = (date: string) => new TZDate(`${date}T12:00:00Z`, 'UTC');
const label = (d: Date) => `${String(getISOWeekYear(d)).padStart(4, '0')}-W${String(getISOWeek(d)).padStart(2, '0')}`;

/** The ISO week of a date `YYYY-MM-DD` (zone-free: the date is already the practice's). */
export function isoWeekOfDate(date: string): string {
  return label(day(date));
}

/** The Monday `YYYY-MM-DD` of ISO week `YYYY-Www`; null when it is malformed or does not exist (W53 only in long years). */
export function isoWeekMonday(week: string): string | null {
  const m = ISO_WEEK.exec(week);
  if (!m) return null;
  const monday = startOfISOWeek(setISOWeek(new TZDate(Number(m[1]), 0, 4, 12, 'UTC'), Number(m[2])));
  return label(monday) === week ? format(monday, 'yyyy-MM-dd') : null;
}

/** True when `week` is written `YYYY-Www` and that week exists. */
export function isIsoWeek(week: string): boolean {
  return isoWeekMonday(week) !== null;
}

/** The ISO week `by` weeks after `week` (negative: before). */
export function shiftIsoWeek(week: string, by: number): string {
  const monday = isoWeekMonday(week);
  if (monday === null) throw new RangeError(`Invalid ISO week "${week}" (expected YYYY-Www)`);
  return label(addWeeks(day(monday), by));
}
