import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  addBusinessMinutes,
  addCalendarDays,
  atLocalTime,
  businessDayMinutes,
  businessMinutesBetween,
  defaultCalendar,
  isBusinessDay,
  isoWeekOf,
  isoWeekRange,
  practiceDate,
  subtractBusinessDays,
  type PracticeCalendar,
} from '../../src/domain/calendar';

const ny = defaultCalendar('America/New_York');
const nyHolidays: PracticeCalendar = { ...ny, holidays: ['2026-01-19', '2026-12-25'] };
const d = (iso: string) => new Date(iso);

describe('defaultCalendar', () => {
  it('is Monday–Friday 08:00–17:00 with no holidays, 540 business minutes a day', () => {
    expect(defaultCalendar()).toEqual({
      timeZone: 'America/New_York',
      businessDays: [1, 2, 3, 4, 5],
      open: '08:00',
      close: '17:00',
      holidays: [],
    });
    expect(businessDayMinutes(ny)).toBe(540);
    expect(businessDayMinutes({ ...ny, open: '09:00', close: '12:30' })).toBe(210);
  });
});

describe('practiceDate / isBusinessDay / atLocalTime', () => {
  it.each([
    ['2026-01-10T03:00:00Z', '2026-01-09'], // Friday 22:00 in New York, Saturday in UTC
    ['2026-01-10T05:00:00Z', '2026-01-10'],
    ['2026-03-08T07:30:00Z', '2026-03-08'], // just after the spring-forward gap
    ['2026-11-01T05:30:00Z', '2026-11-01'], // inside the repeated hour
  ])('practiceDate(%s) = %s', (at, date) => {
    expect(practiceDate(ny, d(at))).toBe(date);
  });

  const saturdayClinic: PracticeCalendar = { ...ny, businessDays: [2, 3, 4, 5, 6] };
  it.each<[string, PracticeCalendar, boolean]>([
    ['2026-01-09', ny, true], // Friday
    ['2026-01-10', ny, false], // Saturday
    ['2026-01-11', ny, false], // Sunday
    ['2026-01-19', nyHolidays, false], // Monday holiday
    ['2026-01-19', ny, true],
    ['2026-01-10', saturdayClinic, true], // a Saturday clinic
    ['2026-01-12', saturdayClinic, false],
  ])('isBusinessDay(%s) = %s', (date, cal, expected) => {
    expect(isBusinessDay(cal, date)).toBe(expected);
  });

  it.each([
    ['2026-03-06', '08:00', '2026-03-06T08:00:00-05:00'],
    ['2026-03-09', '08:00', '2026-03-09T08:00:00-04:00'],
    ['2026-11-02', '17:00', '2026-11-02T17:00:00-05:00'],
    ['2026-03-08', '02:30', '2026-03-08T03:30:00-04:00'], // skipped wall time moves forward
    ['2026-11-01', '01:30', '2026-11-01T01:30:00-04:00'], // repeated wall time: first occurrence
    ['2026-01-09', '24:00', '2026-01-10T00:00:00-05:00'],
  ])('atLocalTime(%s, %s) = %s', (date, hhmm, expected) => {
    expect(atLocalTime(ny, date, hhmm).getTime()).toBe(d(expected).getTime());
  });

  it('rejects malformed dates and times', () => {
    expect(() => atLocalTime(ny, '2026-02-30', '08:00')).toThrow(RangeError);
    expect(() => atLocalTime(ny, '2026-01-09', '8:00')).toThrow(RangeError);
    expect(() => isBusinessDay(ny, 'tomorrow')).toThrow(RangeError);
  });
});

describe('addBusinessMinutes', () => {
  it.each([
    ['Friday 16:30 + 4 h crosses the weekend', ny, '2026-01-09T16:30:00-05:00', 240, '2026-01-12T11:30:00-05:00'],
    ['exactly at close is the end of that day', ny, '2026-01-09T17:00:00-05:00', 1, '2026-01-12T08:01:00-05:00'],
    ['a window ending at close is due at close', ny, '2026-01-09T16:30:00-05:00', 30, '2026-01-09T17:00:00-05:00'],
    ['Saturday starts counting Monday 08:00', ny, '2026-01-10T10:00:00-05:00', 60, '2026-01-12T09:00:00-05:00'],
    ['Sunday night likewise', ny, '2026-01-11T23:59:00-05:00', 240, '2026-01-12T12:00:00-05:00'],
    ['before open starts at open', ny, '2026-01-13T06:00:00-05:00', 60, '2026-01-13T09:00:00-05:00'],
    ['after close starts next morning', ny, '2026-01-13T19:00:00-05:00', 60, '2026-01-14T09:00:00-05:00'],
    ['a UTC instant on the next UTC day', ny, '2026-01-10T03:00:00Z', 60, '2026-01-12T09:00:00-05:00'],
    ['a Monday holiday is skipped', nyHolidays, '2026-01-16T16:00:00-05:00', 120, '2026-01-20T09:00:00-05:00'],
    ['a holiday trigger starts the next business day', nyHolidays, '2026-12-25T10:00:00-05:00', 30, '2026-12-28T08:30:00-05:00'],
    ['five business days', ny, '2026-01-12T09:00:00-05:00', 2700, '2026-01-19T09:00:00-05:00'],
    ['spring DST weekend: 1 day keeps the wall time', ny, '2026-03-06T10:00:00-05:00', 540, '2026-03-09T10:00:00-04:00'],
    ['fall DST weekend: 1 day keeps the wall time', ny, '2026-10-30T10:00:00-04:00', 540, '2026-11-02T10:00:00-05:00'],
    ['spring DST: Friday 16:30 + 4 h', ny, '2026-03-06T16:30:00-05:00', 240, '2026-03-09T11:30:00-04:00'],
    ['fall DST: Friday 16:30 + 4 h', ny, '2026-10-30T16:30:00-04:00', 240, '2026-11-02T11:30:00-05:00'],
    ['trigger on the DST Sunday', ny, '2026-03-08T01:59:00-05:00', 60, '2026-03-09T09:00:00-04:00'],
    ['zero minutes is the same instant', ny, '2026-01-10T10:00:00-05:00', 0, '2026-01-10T10:00:00-05:00'],
    // Backwards: the latest instant with that much business time before `from`.
    ['backwards from open reaches the previous close', ny, '2026-01-12T08:00:00-05:00', -1, '2026-01-09T16:59:00-05:00'],
    ['backwards landing on open stays on that day', ny, '2026-01-12T09:00:00-05:00', -60, '2026-01-12T08:00:00-05:00'],
    ['backwards from Sunday', ny, '2026-01-11T12:00:00-05:00', -60, '2026-01-09T16:00:00-05:00'],
    ['backwards across spring DST', ny, '2026-03-10T10:00:00-04:00', -1080, '2026-03-06T10:00:00-05:00'],
  ] as const)('%s', (_name, cal, from, minutes, expected) => {
    expect(addBusinessMinutes(cal, d(from), minutes).toISOString()).toBe(d(expected).toISOString());
  });

  it('counts non-default hours and business days', () => {
    const tueSat: PracticeCalendar = { ...ny, businessDays: [2, 3, 4, 5, 6], open: '09:30', close: '13:00' };
    // Saturday 12:00 + 2 h: 1 h Saturday, Sunday and Monday closed, 1 h Tuesday.
    expect(addBusinessMinutes(tueSat, d('2026-01-10T12:00:00-05:00'), 120).toISOString()).toBe(
      d('2026-01-13T10:30:00-05:00').toISOString(),
    );
  });

  it('works in other zones with their own DST dates', () => {
    const london = defaultCalendar('Europe/London');
    expect(addBusinessDays(london, d('2026-03-27T10:00:00+00:00'), 1).toISOString()).toBe(d('2026-03-30T10:00:00+01:00').toISOString());
    const sydney = defaultCalendar('Australia/Sydney');
    // Sydney leaves daylight time on Sunday 5 April 2026 (+11 → +10).
    expect(addBusinessDays(sydney, d('2026-04-03T10:00:00+11:00'), 1).toISOString()).toBe(d('2026-04-06T10:00:00+10:00').toISOString());
  });

  it('refuses unusable input instead of looping or guessing', () => {
    expect(() => addBusinessMinutes({ ...ny, businessDays: [] }, d('2026-01-09T10:00:00Z'), 60)).toThrow(RangeError);
    expect(() => addBusinessMinutes({ ...ny, open: '17:00', close: '08:00' }, d('2026-01-09T10:00:00Z'), 60)).toThrow(RangeError);
    expect(() => addBusinessMinutes({ ...ny, timeZone: 'Mars/Olympus' }, d('2026-01-09T10:00:00Z'), 60)).toThrow(RangeError);
    expect(() => addBusinessMinutes(ny, new Date(Number.NaN), 60)).toThrow(RangeError);
    expect(() => addBusinessMinutes(ny, d('2026-01-09T10:00:00Z'), Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('addBusinessDays / subtractBusinessDays', () => {
  it.each([
    ['2026-01-13T10:00:00-05:00', 2, '2026-01-15T10:00:00-05:00'],
    ['2026-01-13T10:00:00-05:00', 10, '2026-01-27T10:00:00-05:00'],
    ['2026-01-10T09:00:00-05:00', 1, '2026-01-12T17:00:00-05:00'], // Saturday: one full Monday
    ['2026-03-06T10:00:00-05:00', 1, '2026-03-09T10:00:00-04:00'],
    ['2026-10-30T10:00:00-04:00', 1, '2026-11-02T10:00:00-05:00'],
  ])('addBusinessDays(%s, %i) = %s', (from, days, expected) => {
    expect(addBusinessDays(ny, d(from), days).toISOString()).toBe(d(expected).toISOString());
  });

  it.each([
    ['2026-01-14T10:00:00-05:00', 2, '2026-01-12T10:00:00-05:00'],
    ['2026-01-12T09:00:00-05:00', 2, '2026-01-08T09:00:00-05:00'], // Monday appointment → Thursday
    ['2026-03-10T10:00:00-04:00', 2, '2026-03-06T10:00:00-05:00'],
    ['2026-11-03T10:00:00-05:00', 2, '2026-10-30T10:00:00-04:00'],
  ])('subtractBusinessDays(%s, %i) = %s', (from, days, expected) => {
    expect(subtractBusinessDays(ny, d(from), days).toISOString()).toBe(d(expected).toISOString());
  });
});

describe('businessMinutesBetween', () => {
  it.each([
    ['2026-01-09T16:30:00-05:00', '2026-01-12T11:30:00-05:00', 240],
    ['2026-01-12T11:30:00-05:00', '2026-01-09T16:30:00-05:00', -240],
    ['2026-01-10T00:00:00-05:00', '2026-01-11T23:59:00-05:00', 0], // weekend
    ['2026-01-13T10:00:00-05:00', '2026-01-13T10:00:00-05:00', 0],
    ['2026-01-13T06:00:00-05:00', '2026-01-13T20:00:00-05:00', 540],
    ['2026-03-06T10:00:00-05:00', '2026-03-09T10:00:00-04:00', 540], // 71 real hours, one business day
    ['2026-10-30T16:00:00-04:00', '2026-11-02T09:00:00-05:00', 120],
    ['2026-01-13T10:00:30-05:00', '2026-01-13T10:01:00-05:00', 0.5],
  ])('[%s, %s) = %d', (from, to, minutes) => {
    expect(businessMinutesBetween(ny, d(from), d(to))).toBe(minutes);
  });

  it('skips holidays', () => {
    expect(businessMinutesBetween(nyHolidays, d('2026-01-16T16:00:00-05:00'), d('2026-01-20T09:00:00-05:00'))).toBe(120);
  });

  it('is the inverse of addBusinessMinutes for any instant of 2026 and window up to 30 days', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 24 * 60 - 1 }), fc.integer({ min: 0, max: 30 * 540 }), (offset, minutes) => {
        const from = new Date(start + offset * 60_000);
        const due = addBusinessMinutes(nyHolidays, from, minutes);
        expect(businessMinutesBetween(nyHolidays, from, due)).toBe(minutes);
        expect(businessMinutesBetween(nyHolidays, addBusinessMinutes(nyHolidays, due, -minutes), due)).toBe(minutes);
      }),
      { numRuns: 500 },
    );
  });
});

describe('addCalendarDays', () => {
  it.each([
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-03-07', 2, '2026-03-09'], // no zone involved, so DST is irrelevant
    ['2026-01-15', 0, '2026-01-15'],
  ])('%s + %i = %s', (date, days, expected) => {
    expect(addCalendarDays(date, days)).toBe(expected);
  });

  it('rejects malformed input', () => {
    expect(() => addCalendarDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addCalendarDays('2026-01-01', 1.5)).toThrow(RangeError);
  });
});

describe('isoWeekOf / isoWeekRange', () => {
  it.each([
    ['2025-12-28T12:00:00-05:00', '2025-W52'], // Sunday
    ['2025-12-29T00:00:00-05:00', '2026-W01'], // Monday of week 1 of 2026
    ['2026-01-01T12:00:00-05:00', '2026-W01'],
    ['2026-01-05T03:00:00Z', '2026-W01'], // Sunday 22:00 in New York although Monday in UTC
    ['2026-03-09T10:00:00-04:00', '2026-W11'],
    ['2027-01-01T12:00:00-05:00', '2026-W53'], // 2026 has 53 ISO weeks
    ['2027-01-03T23:59:00-05:00', '2026-W53'],
    ['2027-01-04T00:00:00-05:00', '2027-W01'],
  ])('isoWeekOf(%s) = %s', (at, week) => {
    expect(isoWeekOf(ny, d(at))).toBe(week);
  });

  it.each([
    ['2026-W01', '2025-12-29T00:00:00-05:00', '2026-01-05T00:00:00-05:00', 168],
    ['2026-W53', '2026-12-28T00:00:00-05:00', '2027-01-04T00:00:00-05:00', 168],
    ['2026-W10', '2026-03-02T00:00:00-05:00', '2026-03-09T00:00:00-04:00', 167], // spring forward inside
    ['2026-W44', '2026-10-26T00:00:00-04:00', '2026-11-02T00:00:00-05:00', 169], // fall back inside
  ])('isoWeekRange(%s)', (week, start, end, hours) => {
    const range = isoWeekRange(ny, week);
    expect(range.start.toISOString()).toBe(d(start).toISOString());
    expect(range.end.toISOString()).toBe(d(end).toISOString());
    expect((range.end.getTime() - range.start.getTime()) / 3_600_000).toBe(hours);
    expect(isoWeekOf(ny, range.start)).toBe(week);
    expect(isoWeekOf(ny, new Date(range.end.getTime() - 1))).toBe(week);
    expect(isoWeekOf(ny, range.end)).not.toBe(week);
  });

  it.each(['2027-W53', '2026-W00', '2026-W54', '2026-W1', '2026W01', 'last week', ''])('isoWeekRange(%j) throws', (week) => {
    expect(() => isoWeekRange(ny, week)).toThrow(RangeError);
  });
});
