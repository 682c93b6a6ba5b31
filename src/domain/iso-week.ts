/**
 * ISO week labels (`YYYY-Www`) as plain calendar arithmetic. Which instants a week covers
 * depends on the practice zone: see `isoWeekRange` in calendar.ts.
 */

const ISO_WEEK = /^(\d{4})-W(\d{2})$/;
const DAY_MS = 86_400_000;

/** True when `week` is written `YYYY-Www` and that week exists (W53 only in long years). */
export function isIsoWeek(week: string): boolean {
  const monday = isoWeekMonday(week);
  return monday !== null && isoWeekOfDay(monday) === week;
}

/**
 * The ISO week `by` weeks after `week` (negative: before). Zone-free: ISO weeks are
 * calendar labels, so this is plain date arithmetic on their Mondays.
 */
export function shiftIsoWeek(week: string, by: number): string {
  const monday = isoWeekMonday(week);
  if (monday === null || !isIsoWeek(week)) throw new RangeError(`Invalid ISO week "${week}" (expected YYYY-Www)`);
  return isoWeekOfDay(monday + by * 7);
}

/** Days since 1970-01-01 of the Monday of `YYYY-Www`, without checking that the week exists. */
function isoWeekMonday(week: string): number | null {
  const m = ISO_WEEK.exec(week);
  if (!m) return null;
  const year = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || n > 53) return null;
  const jan4 = Date.UTC(year, 0, 4) / DAY_MS;
  const weekday = new Date(jan4 * DAY_MS).getUTCDay() || 7;
  return jan4 - weekday + 1 + (n - 1) * 7;
}

function isoWeekOfDay(day: number): string {
  const weekday = new Date(day * DAY_MS).getUTCDay() || 7;
  // The ISO week belongs to the year of its Thursday.
  const thursday = day - weekday + 4;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1) / DAY_MS) / 7) + 1;
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}
