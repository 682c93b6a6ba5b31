import { describe, expect, it } from 'vitest';
import {
  LANE_LABELS,
  TIER_LABELS,
  defaultPolicy,
  laneForTrigger,
  moreUrgent,
  parsePolicy,
  tierFor,
  type Policy,
} from '../../src/domain/policy';
import { dueTimes } from '../../src/domain/sla';
import { LANES, TRIGGERS, type LaneKey, type Tier, type Trigger, type VisitType } from '../../src/domain/types';

const policy = defaultPolicy('America/New_York');

function withLanes(p: Policy, lanes: Partial<Record<LaneKey, Partial<Policy['lanes'][LaneKey]>>>): Policy {
  const copy = structuredClone(p);
  for (const [key, lane] of Object.entries(lanes)) Object.assign(copy.lanes[key as LaneKey], lane);
  return copy;
}

describe('defaultPolicy', () => {
  it('follows the SPEC §2 table', () => {
    const table = LANES.map((key) => {
      const l = policy.lanes[key];
      return [key, l.key, l.label, l.defaultTier, l.triggers, l.resolutionBusinessDays, l.urgentResolutionBusinessDays, l.defaultBackup];
    });
    expect(table).toEqual([
      ['referral', 'referral', 'Referral follow-up', 'high', ['new_referral'], 10, 2, null],
      ['post_visit', 'post_visit', 'Post-visit next steps', 'high', ['consult_completed', 'abnormal_result'], 10, undefined, null],
      ['missed_appointment', 'missed_appointment', 'Missed appointment recovery', 'high', ['missed_appointment'], 5, undefined, null],
      ['discharge', 'discharge', 'Discharge outreach', 'urgent', ['hospital_discharge'], 2, undefined, null],
      ['prior_auth', 'prior_auth', 'Prior authorization status', 'high', ['prior_auth_pending'], 5, undefined, null],
      ['pre_visit', 'pre_visit', 'Pre-visit & telehealth readiness', 'high', ['appointment_scheduled'], 2, undefined, null],
      ['preventive_recall', 'preventive_recall', 'Preventive recall', 'low', ['recall_due'], 30, undefined, null],
      ['monitoring', 'monitoring', 'Monitoring engagement (RPM / CCM)', 'routine', ['monitoring_enrolled', 'readings_missed'], 10, undefined, null],
    ]);
    expect(policy.tierWindowMinutes).toEqual({ urgent: 240, high: 540, routine: 1080, low: 2700 });
    expect(policy.schedules).toEqual({ slaSweep: '*/5 * * * *', dailyDigest: '0 8 * * 1-5', weeklyReport: '0 8 * * 1' });
    expect(policy.preVisitLeadBusinessDays).toBe(2);
    expect(policy.calendar).toEqual({
      timeZone: 'America/New_York',
      businessDays: [1, 2, 3, 4, 5],
      open: '08:00',
      close: '17:00',
      holidays: [],
    });
    expect(defaultPolicy('Europe/London').calendar.timeZone).toBe('Europe/London');
  });

  it('labels every lane and tier', () => {
    expect(Object.keys(LANE_LABELS).sort()).toEqual([...LANES].sort());
    expect(TIER_LABELS).toEqual({ urgent: 'Urgent', high: 'High', routine: 'Routine', low: 'Low' });
  });

  it.each(LANES)('%s has a plain-text script with the five SPEC steps', (lane) => {
    const lines = policy.lanes[lane].script.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/date of birth/); // identity check first
    expect(lines[3]).toMatch(/\?$/); // understanding check
    expect(lines[4]).toMatch(/question|ask/i); // invitation to ask
    expect(policy.lanes[lane].script).not.toMatch(/[*_~`<>&]/); // no mrkdwn, nothing Slack would escape
  });

  it('returns a fresh object each call', () => {
    const a = defaultPolicy();
    a.lanes.referral.triggers.push('recall_due');
    a.calendar.holidays.push('2026-12-25');
    expect(defaultPolicy().lanes.referral.triggers).toEqual(['new_referral']);
    expect(defaultPolicy().calendar.holidays).toEqual([]);
  });
});

describe('laneForTrigger', () => {
  it.each([
    ['new_referral', 'referral'],
    ['consult_completed', 'post_visit'],
    ['abnormal_result', 'post_visit'],
    ['missed_appointment', 'missed_appointment'],
    ['hospital_discharge', 'discharge'],
    ['prior_auth_pending', 'prior_auth'],
    ['appointment_scheduled', 'pre_visit'],
    ['recall_due', 'preventive_recall'],
    ['monitoring_enrolled', 'monitoring'],
    ['readings_missed', 'monitoring'],
  ] as const)('%s → %s', (trigger, lane) => {
    expect(laneForTrigger(policy, trigger)).toBe(lane);
  });

  it('covers every trigger', () => {
    for (const t of TRIGGERS) expect(LANES).toContain(laneForTrigger(policy, t));
  });
});

describe('moreUrgent', () => {
  it.each([
    ['urgent', 'low', 'urgent'],
    ['low', 'urgent', 'urgent'],
    ['high', 'routine', 'high'],
    ['routine', 'high', 'high'],
    ['low', 'low', 'low'],
  ] as const)('moreUrgent(%s, %s) = %s', (a, b, expected) => {
    expect(moreUrgent(a, b)).toBe(expected);
  });
});

describe('tierFor', () => {
  type Row = [string, Policy, Trigger, Tier | null, VisitType | null, Tier];
  const lowMonitoring = withLanes(policy, { monitoring: { defaultTier: 'low' } });
  const urgentMonitoring = withLanes(policy, { monitoring: { defaultTier: 'urgent' } });
  it.each<Row>([
    ['routine referral', policy, 'new_referral', null, null, 'high'],
    ['urgent referral is raised', policy, 'new_referral', 'urgent', null, 'urgent'],
    ['a low priority never lowers', policy, 'new_referral', 'low', null, 'high'],
    ['priority raises recall', policy, 'recall_due', 'routine', null, 'routine'],
    ['recall default', policy, 'recall_due', null, null, 'low'],
    ['consult completed', policy, 'consult_completed', null, null, 'high'],
    ['abnormal result is urgent', policy, 'abnormal_result', null, null, 'urgent'],
    ['abnormal result ignores a low priority', policy, 'abnormal_result', 'low', null, 'urgent'],
    ['missed new-patient visit', policy, 'missed_appointment', null, 'new_patient', 'urgent'],
    ['missed specialty consult', policy, 'missed_appointment', null, 'specialty_consult', 'urgent'],
    ['missed follow-up', policy, 'missed_appointment', null, 'follow_up', 'high'],
    ['missed procedure', policy, 'missed_appointment', null, 'procedure', 'high'],
    ['missed, visit type unknown', policy, 'missed_appointment', null, null, 'high'],
    ['visit type only matters for missed appointments', policy, 'appointment_scheduled', null, 'new_patient', 'high'],
    ['discharge stays urgent', policy, 'hospital_discharge', 'low', null, 'urgent'],
    ['monitoring enrolment', policy, 'monitoring_enrolled', null, null, 'routine'],
    ['missed readings raise to high', policy, 'readings_missed', null, null, 'high'],
    ['missed readings with urgent priority', policy, 'readings_missed', 'urgent', null, 'urgent'],
    ['missed readings raise a low lane default', lowMonitoring, 'readings_missed', null, null, 'high'],
    ['missed readings never lower an urgent default', urgentMonitoring, 'readings_missed', null, null, 'urgent'],
    ['enrolment uses the overridden default', lowMonitoring, 'monitoring_enrolled', null, null, 'low'],
  ])('%s', (_name, p, trigger, priority, visitType, expected) => {
    expect(tierFor(p, { trigger, priority, visitType })).toBe(expected);
  });

  it('accepts omitted optional fields', () => {
    expect(tierFor(policy, { trigger: 'prior_auth_pending' })).toBe('high');
  });
});

describe('parsePolicy', () => {
  it('treats no file and an empty file as the defaults', () => {
    expect(parsePolicy(undefined, 'America/New_York')).toEqual({ ok: true, policy });
    expect(parsePolicy({}, 'America/Chicago')).toEqual({ ok: true, policy: defaultPolicy('America/Chicago') });
  });

  it('merges a good override onto the defaults', () => {
    const result = parsePolicy(
      {
        lanes: {
          referral: { label: 'Referrals', defaultBackup: 'U012ABCDEF', urgentResolutionBusinessDays: 3, key: 'referral' },
          prior_auth: { defaultTier: 'routine', resolutionBusinessDays: 7, script: 'Hello.\nGoodbye?' },
          discharge: { urgentResolutionBusinessDays: null },
          monitoring: { triggers: ['monitoring_enrolled'] },
          post_visit: { triggers: ['consult_completed', 'abnormal_result', 'readings_missed'] },
        },
        tierWindowMinutes: { routine: 1620 },
        calendar: { businessDays: [1, 2, 3, 4, 5, 6], open: '07:30', close: '18:00', holidays: ['2026-12-25', '2026-01-19', '2026-12-25'] },
        schedules: { slaSweep: '*/10 * * * *', dailyDigest: '30 7 * * 1-6' },
        preVisitLeadBusinessDays: 3,
      },
      'America/Denver',
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const p = result.policy;
    expect(p.lanes.referral).toMatchObject({ label: 'Referrals', defaultBackup: 'U012ABCDEF', urgentResolutionBusinessDays: 3, defaultTier: 'high' });
    expect(p.lanes.prior_auth).toMatchObject({ defaultTier: 'routine', resolutionBusinessDays: 7, script: 'Hello.\nGoodbye?' });
    expect(p.lanes.discharge.urgentResolutionBusinessDays).toBeUndefined();
    expect(laneForTrigger(p, 'readings_missed')).toBe('post_visit');
    expect(p.tierWindowMinutes).toEqual({ urgent: 240, high: 540, routine: 1620, low: 2700 });
    expect(p.calendar).toEqual({
      timeZone: 'America/Denver',
      businessDays: [1, 2, 3, 4, 5, 6],
      open: '07:30',
      close: '18:00',
      holidays: ['2026-01-19', '2026-12-25'],
    });
    expect(p.schedules).toEqual({ slaSweep: '*/10 * * * *', dailyDigest: '30 7 * * 1-6', weeklyReport: '0 8 * * 1' });
    expect(p.preVisitLeadBusinessDays).toBe(3);
    expect(p.lanes.pre_visit).toEqual(policy.lanes.pre_visit);
  });

  it('sets the re-attempt cadence per tier and per lane, the most attempts per lane, and turns reminders off with null', () => {
    expect(policy.reattemptMinutes).toEqual({ urgent: 120, high: 240, routine: 540, low: 1620 });
    expect(policy.reminderBeforeDueMinutes).toBe(60);
    expect(LANES.map((l) => policy.lanes[l].maxAttempts)).toEqual(LANES.map(() => 6));
    const result = parsePolicy(
      { reattemptMinutes: { low: 2700 }, reminderBeforeDueMinutes: null, lanes: { discharge: { reattemptMinutes: { urgent: 60 }, maxAttempts: 4 } } },
      'America/New_York',
    );
    if (!result.ok) throw new Error(result.errors.join('; '));
    expect(result.policy.reattemptMinutes).toEqual({ urgent: 120, high: 240, routine: 540, low: 2700 });
    expect(result.policy.reminderBeforeDueMinutes).toBe(null);
    expect(result.policy.lanes.discharge).toMatchObject({ reattemptMinutes: { urgent: 60 }, maxAttempts: 4 });
    expect(result.policy.lanes.referral.maxAttempts).toBe(6);
  });

  it('accepts a dump of the defaults (without the time zone) fed back in', () => {
    const { timeZone: _tz, ...calendar } = policy.calendar;
    const dump = JSON.parse(JSON.stringify({ ...policy, calendar }));
    expect(parsePolicy(dump, 'America/New_York')).toEqual({ ok: true, policy });
  });

  it.each<[string, unknown, string]>([
    ['bad tier', { lanes: { referral: { defaultTier: 'super' } } }, 'lanes.referral.defaultTier: must be one of urgent, high, routine, low'],
    ['unknown lane', { lanes: { dental: {} } }, 'lanes.dental: is not a lane (lanes are referral, post_visit'],
    ['unknown lane field', { lanes: { referral: { colour: 'red' } } }, 'lanes.referral.colour: is not a known setting'],
    ['unknown top-level key', { lane: {} }, 'lane: is not a known setting'],
    ['lane key mismatch', { lanes: { referral: { key: 'discharge' } } }, 'lanes.referral.key: must be referral'],
    ['bad trigger', { lanes: { referral: { triggers: ['fax'] } } }, 'lanes.referral.triggers.0: must be one of new_referral'],
    ['trigger listed twice', { lanes: { referral: { triggers: ['new_referral', 'new_referral'] } } }, 'lanes.referral.triggers: must not list a trigger twice'],
    ['empty label', { lanes: { referral: { label: '  ' } } }, 'lanes.referral.label: must not be empty'],
    ['empty script', { lanes: { referral: { script: '' } } }, 'lanes.referral.script: must not be empty'],
    ['fractional days', { lanes: { referral: { resolutionBusinessDays: 1.5 } } }, 'lanes.referral.resolutionBusinessDays: must be a whole number from 1 to 260'],
    ['days as text', { lanes: { referral: { resolutionBusinessDays: '10' } } }, 'lanes.referral.resolutionBusinessDays: must be a number'],
    ['zero days', { lanes: { referral: { resolutionBusinessDays: 0 } } }, 'lanes.referral.resolutionBusinessDays: must be a whole number from 1 to 260'],
    ['urgent target longer', { lanes: { referral: { urgentResolutionBusinessDays: 20 } } }, 'lanes.referral.urgentResolutionBusinessDays: must not exceed resolutionBusinessDays (10)'],
    ['backup not a user id', { lanes: { referral: { defaultBackup: '@maria' } } }, 'lanes.referral.defaultBackup: must be a Slack user ID (U… or W…) or null'],
    ['zero window', { tierWindowMinutes: { urgent: 0 } }, 'tierWindowMinutes.urgent: must be a whole number from 1 to 43200'],
    ['stale after 0 days', { staleAfterDays: 0 }, 'staleAfterDays: must be a whole number from 1 to 90'],
    ['stale after a year', { staleAfterDays: 365 }, 'staleAfterDays: must be a whole number from 1 to 90'],
    ['no re-attempt time', { reattemptMinutes: { urgent: 0 } }, 'reattemptMinutes.urgent: must be a whole number from 1 to 43200'],
    ['unknown re-attempt tier', { lanes: { referral: { reattemptMinutes: { critical: 60 } } } }, 'lanes.referral.reattemptMinutes.critical: is not a known setting'],
    ['no attempts allowed', { lanes: { referral: { maxAttempts: 0 } } }, 'lanes.referral.maxAttempts: must be a whole number from 1 to 20'],
    ['attempts without end', { lanes: { referral: { maxAttempts: 1000 } } }, 'lanes.referral.maxAttempts: must be a whole number from 1 to 20'],
    ['a reminder at the due time', { reminderBeforeDueMinutes: 0 }, 'reminderBeforeDueMinutes: must be a whole number from 1 to 43200'],
    ['a reminder as text', { reminderBeforeDueMinutes: '1h' }, 'reminderBeforeDueMinutes: must be a number'],
    ['unknown tier window', { tierWindowMinutes: { critical: 60 } }, 'tierWindowMinutes.critical: is not a known setting'],
    ['windows out of order', { tierWindowMinutes: { high: 120 } }, 'tierWindowMinutes.high: must not be shorter than urgent (240)'],
    ['time zone in the file', { calendar: { timeZone: 'UTC' } }, 'calendar.timeZone: is not set here: the time zone comes from PRACTICE_TIMEZONE'],
    ['open after close', { calendar: { open: '18:00' } }, 'calendar.open: must be before close (17:00)'],
    ['close before open', { calendar: { close: '07:00' } }, 'calendar.close: must be after open (08:00)'],
    ['open equals close', { calendar: { open: '09:00', close: '09:00' } }, 'calendar.open: must be before close (09:00)'],
    ['malformed open', { calendar: { open: '8am' } }, 'calendar.open: must be a time written HH:MM (24-hour clock)'],
    ['impossible close', { calendar: { close: '17:60' } }, 'calendar.close: must be a time written HH:MM (24-hour clock)'],
    ['open at 24:00', { calendar: { open: '24:00' } }, 'calendar.open: must be a time before 24:00'],
    ['bad holiday', { calendar: { holidays: ['2026-12-25', '2026-02-30'] } }, 'calendar.holidays.1: "2026-02-30" is not a date written YYYY-MM-DD'],
    ['holidays not a list', { calendar: { holidays: '2026-12-25' } }, 'calendar.holidays: must be a list of dates'],
    ['weekday 0', { calendar: { businessDays: [0, 1] } }, 'calendar.businessDays.0: must be an ISO weekday number from 1 (Monday) to 7 (Sunday)'],
    ['weekday 8', { calendar: { businessDays: [1, 8] } }, 'calendar.businessDays.1: must be an ISO weekday number from 1 (Monday) to 7 (Sunday)'],
    ['no business days', { calendar: { businessDays: [] } }, 'calendar.businessDays: must list at least one business day'],
    ['bad cron', { schedules: { dailyDigest: '61 8 * * *' } }, 'schedules.dailyDigest: "61 8 * * *" is not a valid cron expression'],
    ['cron nonsense', { schedules: { weeklyReport: 'mondays at 8' } }, 'schedules.weeklyReport: "mondays at 8" is not a valid cron expression'],
    ['cron not text', { schedules: { slaSweep: 5 } }, 'schedules.slaSweep: must be a cron expression in quotes'],
    ['negative lead', { preVisitLeadBusinessDays: -1 }, 'preVisitLeadBusinessDays: must be a whole number from 0 to 30'],
    ['a window of 1e12 minutes', { tierWindowMinutes: { low: 1e12 } }, 'tierWindowMinutes.low: must be a whole number from 1 to 43200'],
    ['a resolution target of years', { lanes: { referral: { resolutionBusinessDays: 100000 } } }, 'lanes.referral.resolutionBusinessDays: must be a whole number from 1 to 260'],
    ['an urgent target of years', { lanes: { referral: { urgentResolutionBusinessDays: 1e9 } } }, 'lanes.referral.urgentResolutionBusinessDays: must be a whole number from 1 to 260'],
    ['a lead of years', { preVisitLeadBusinessDays: 5000 }, 'preVisitLeadBusinessDays: must be a whole number from 0 to 30'],
    ['a one-minute business day', { calendar: { open: '09:00', close: '09:01' } }, 'calendar.close: the business day (09:00–09:01) must be at least 60 minutes long'],
    ['thousands of holidays', { calendar: { holidays: Array.from({ length: 1001 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10)) } }, 'calendar.holidays: must list at most 1000 dates'],
    [
      'every business day a holiday for a year',
      { calendar: { businessDays: [3], holidays: Array.from({ length: 53 }, (_, i) => new Date(Date.UTC(2026, 0, 7 + 7 * i)).toISOString().slice(0, 10)) } },
      'calendar.holidays: close the practice 377 days in a row from 2026-01-01; at most 60 days in a row may be closed',
    ],
    ['lanes not an object', { lanes: [] }, 'lanes: must be a JSON object'],
    ['file not an object', 'referral', 'policy file: must be a JSON object'],
    ['file is null', null, 'policy file: must be a JSON object'],
  ])('rejects %s', (_name, json, message) => {
    const result = parsePolicy(json, 'America/New_York');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.some((e) => e.startsWith(message)), result.errors.join('\n')).toBe(true);
  });

  it('rejects a trigger moved so that two lanes share it and another has none', () => {
    const result = parsePolicy({ lanes: { referral: { triggers: ['recall_due'] } } }, 'America/New_York');
    expect(result).toEqual({
      ok: false,
      errors: [
        'lanes.preventive_recall.triggers: recall_due is already a trigger of lane referral',
        'lanes: no lane has trigger new_referral; every trigger needs exactly one lane',
      ],
    });
  });

  it('reports every problem at once', () => {
    const result = parsePolicy(
      { lanes: { referral: { defaultTier: 'x' } }, schedules: { slaSweep: 'bad' }, extra: 1 },
      'Not/AZone',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(4);
    expect(result.errors[0]).toBe('PRACTICE_TIMEZONE: "Not/AZone" is not a known IANA time zone');
  });

  it('accepts the largest value of every range, and a two-week closure', () => {
    const lanes = Object.fromEntries(LANES.map((key) => [key, { resolutionBusinessDays: 260, urgentResolutionBusinessDays: 260 }]));
    const holidays = Array.from({ length: 10 }, (_, i) => new Date(Date.UTC(2026, 11, 21 + i)).toISOString().slice(0, 10));
    const result = parsePolicy(
      { lanes, tierWindowMinutes: { urgent: 43200, high: 43200, routine: 43200, low: 43200 }, preVisitLeadBusinessDays: 30, calendar: { holidays } },
      'America/New_York',
    );
    expect(result.ok, result.ok ? '' : result.errors.join('\n')).toBe(true);
  });

  it('keeps due-time arithmetic short on the slowest policy it accepts', () => {
    // One business hour a week, the longest windows, and 60 closed days in a row.
    const holidays = Array.from({ length: 7 }, (_, i) => new Date(Date.UTC(2026, 11, 7 + 7 * i)).toISOString().slice(0, 10));
    const lanes = Object.fromEntries(LANES.map((key) => [key, { resolutionBusinessDays: 260, urgentResolutionBusinessDays: 260 }]));
    const result = parsePolicy(
      { lanes, tierWindowMinutes: { urgent: 43200, high: 43200, routine: 43200, low: 43200 }, calendar: { businessDays: [1], open: '09:00', close: '10:00', holidays } },
      'America/New_York',
    );
    if (!result.ok) throw new Error(result.errors.join('\n'));
    const due = dueTimes(result.policy, { lane: 'preventive_recall', tier: 'low', occurredAt: new Date('2026-12-01T12:00:00Z') });
    // 720 one-hour Mondays (43,200 minutes), 7 of them holidays: about 14 years on.
    expect(due.firstResponseDueAt.getUTCFullYear()).toBe(2040);
    expect(due.resolutionDueAt < due.firstResponseDueAt).toBe(true);
  });

  it('does not let an override leak into later defaults', () => {
    parsePolicy({ calendar: { holidays: ['2026-07-03'] }, lanes: { referral: { label: 'X' } } }, 'America/New_York');
    expect(defaultPolicy().calendar.holidays).toEqual([]);
    expect(defaultPolicy().lanes.referral.label).toBe('Referral follow-up');
  });
});
