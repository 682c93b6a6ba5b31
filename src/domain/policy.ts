/**
 * Lanes, tiers, response windows, job schedules and outreach scripts (SPEC §2, §8),
 * with the practice's JSON policy file (`POLICY_FILE`) as a validated partial override.
 */
import { validate as isValidCron } from 'node-cron';
import { z } from 'zod';
import { LANES, TIERS, TRIGGERS } from './types';
import type { LaneKey, Tier, Trigger, VisitType } from './types';
import { businessDayMinutes, defaultCalendar, isValidLocalDate, isValidTimeZone, longestClosedRun, wallTimeMinutes } from './calendar';
import type { PracticeCalendar } from './calendar';
import { LANE_SCRIPTS } from './lane-scripts';

export interface LanePolicy {
  key: LaneKey;
  label: string;
  defaultTier: Tier;
  triggers: Trigger[];
  /** Trigger → next-step completion target, in business days. */
  resolutionBusinessDays: number;
  /** Target when the case is urgent (e.g. referral: 2); absent = same as `resolutionBusinessDays`. */
  urgentResolutionBusinessDays?: number;
  /** Slack user id of the lane's default backup (roster); null = none. */
  defaultBackup: string | null;
  /** After a failed patient attempt, the next is due within this many business minutes, by tier; absent tiers use the policy's `reattemptMinutes`. */
  reattemptMinutes?: Partial<Record<Tier, number>>;
  /** Failed patient attempts in a row after which no re-attempt is scheduled: the case must be escalated or closed unreachable. */
  maxAttempts: number;
  /** Outreach script: plain text (no mrkdwn), one step per line. */
  script: string;
}

export interface Policy {
  lanes: Record<LaneKey, LanePolicy>;
  /** First-response window per tier, in business minutes. */
  tierWindowMinutes: Record<Tier, number>;
  calendar: PracticeCalendar;
  /** Cron expressions, evaluated in the practice time zone. */
  schedules: { slaSweep: string; dailyDigest: string; weeklyReport: string };
  /** `pre_visit` cases are due this many business days before the appointment. */
  preVisitLeadBusinessDays: number;
  /** An open case nobody has moved for this many days is stale: listed on managers' Home and in the digest. */
  staleAfterDays: number;
  /** After a failed patient attempt, the next is due within this many business minutes, per tier (lanes may override). */
  reattemptMinutes: Record<Tier, number>;
  /** The owner's reminder DM comes this many business minutes before a first-response or next-step due time; null: no reminders. */
  reminderBeforeDueMinutes: number | null;
}

/** SPEC §2 lane labels. */
export const LANE_LABELS: Record<LaneKey, string> = {
  referral: 'Referral follow-up',
  post_visit: 'Post-visit next steps',
  missed_appointment: 'Missed appointment recovery',
  discharge: 'Discharge outreach',
  prior_auth: 'Prior authorization status',
  pre_visit: 'Pre-visit & telehealth readiness',
  preventive_recall: 'Preventive recall',
  monitoring: 'Monitoring engagement (RPM / CCM)',
};

export const TIER_LABELS: Record<Tier, string> = {
  urgent: 'Urgent',
  high: 'High',
  routine: 'Routine',
  low: 'Low',
};

type LaneDefaults = Pick<LanePolicy, 'defaultTier' | 'triggers' | 'resolutionBusinessDays' | 'urgentResolutionBusinessDays'>;

/** Failed patient attempts in a row a lane allows by default before the case must be escalated or closed unreachable. */
export const DEFAULT_MAX_ATTEMPTS = 6;

// SPEC §2 table. Discharge's 2 days is the Medicare transitional-care interactive-contact rule;
// pre_visit is really due before the appointment (see sla.ts), 2 days is only the fallback.
const LANE_DEFAULTS: Record<LaneKey, LaneDefaults> = {
  referral: { defaultTier: 'high', triggers: ['new_referral'], resolutionBusinessDays: 10, urgentResolutionBusinessDays: 2 },
  post_visit: { defaultTier: 'high', triggers: ['consult_completed', 'abnormal_result'], resolutionBusinessDays: 10 },
  missed_appointment: { defaultTier: 'high', triggers: ['missed_appointment'], resolutionBusinessDays: 5 },
  discharge: { defaultTier: 'urgent', triggers: ['hospital_discharge'], resolutionBusinessDays: 2 },
  prior_auth: { defaultTier: 'high', triggers: ['prior_auth_pending'], resolutionBusinessDays: 5 },
  pre_visit: { defaultTier: 'high', triggers: ['appointment_scheduled'], resolutionBusinessDays: 2 },
  preventive_recall: { defaultTier: 'low', triggers: ['recall_due'], resolutionBusinessDays: 30 },
  monitoring: { defaultTier: 'routine', triggers: ['monitoring_enrolled', 'readings_missed'], resolutionBusinessDays: 10 },
};

/** The built-in policy (SPEC §2 and §8) for a practice in `timeZone`. Returns a fresh object each call. */
export function defaultPolicy(timeZone = 'America/New_York'): Policy {
  const lanes = {} as Record<LaneKey, LanePolicy>;
  for (const key of LANES) {
    const d = LANE_DEFAULTS[key];
    lanes[key] = { key, label: LANE_LABELS[key], ...d, triggers: [...d.triggers], defaultBackup: null, maxAttempts: DEFAULT_MAX_ATTEMPTS, script: LANE_SCRIPTS[key] };
    if (d.urgentResolutionBusinessDays === undefined) delete lanes[key].urgentResolutionBusinessDays;
  }
  return {
    lanes,
    // Business minutes with the default 9-hour day: 4 hours, 1, 2 and 5 business days.
    tierWindowMinutes: { urgent: 240, high: 540, routine: 1080, low: 2700 },
    calendar: defaultCalendar(timeZone),
    schedules: { slaSweep: '*/5 * * * *', dailyDigest: '0 8 * * 1-5', weeklyReport: '0 8 * * 1' },
    preVisitLeadBusinessDays: 2,
    staleAfterDays: 7,
    // 2 and 4 business hours, 1 and 3 business days with the default 9-hour day.
    reattemptMinutes: { urgent: 120, high: 240, routine: 540, low: 1620 },
    reminderBeforeDueMinutes: 60,
  };
}

/**
 * Validates a parsed `POLICY_FILE` (a partial override; unknown keys are errors) and merges it
 * onto the defaults. `timeZone` comes from `PRACTICE_TIMEZONE`, never from the file.
 * `undefined` (no file) yields the defaults. Every problem is reported at once, each as a
 * sentence naming its JSON path, so the app can refuse to start with a useful message.
 */
export function parsePolicy(
  json: unknown,
  timeZone: string,
): { ok: true; policy: Policy } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  if (!isValidTimeZone(timeZone)) errors.push(`PRACTICE_TIMEZONE: "${timeZone}" is not a known IANA time zone`);
  const parsed = parsePolicyOverride(json === undefined ? {} : json);
  if (!parsed.ok) return { ok: false, errors: [...errors, ...parsed.errors] };

  const policy = defaultPolicy(timeZone);
  const o = parsed.override;
  for (const key of LANES) {
    const lane = o.lanes?.[key];
    if (!lane) continue;
    const { urgentResolutionBusinessDays: urgent, key: _key, ...rest } = lane;
    Object.assign(policy.lanes[key], rest);
    if (urgent === null) delete policy.lanes[key].urgentResolutionBusinessDays;
    else if (urgent !== undefined) policy.lanes[key].urgentResolutionBusinessDays = urgent;
  }
  Object.assign(policy.tierWindowMinutes, o.tierWindowMinutes);
  Object.assign(policy.calendar, o.calendar);
  policy.calendar.holidays = [...new Set(policy.calendar.holidays)].sort();
  Object.assign(policy.schedules, o.schedules);
  if (o.preVisitLeadBusinessDays !== undefined) policy.preVisitLeadBusinessDays = o.preVisitLeadBusinessDays;
  if (o.staleAfterDays !== undefined) policy.staleAfterDays = o.staleAfterDays;
  Object.assign(policy.reattemptMinutes, o.reattemptMinutes);
  if (o.reminderBeforeDueMinutes !== undefined) policy.reminderBeforeDueMinutes = o.reminderBeforeDueMinutes;

  errors.push(...crossCheck(policy, o.calendar?.open !== undefined));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, policy };
}

/** Rules that involve more than one field, checked on the merged policy. */
function crossCheck(policy: Policy, openOverridden: boolean): string[] {
  const errors: string[] = [];
  const { open, close } = policy.calendar;
  // String order is time order for HH:MM (and 24:00 sorts last).
  if (open >= close) {
    errors.push(openOverridden ? `calendar.open: must be before close (${close})` : `calendar.close: must be after open (${open})`);
  }
  if (open < close && businessDayMinutes(policy.calendar) < MIN_BUSINESS_DAY_MINUTES) {
    errors.push(`calendar.close: the business day (${open}–${close}) must be at least ${MIN_BUSINESS_DAY_MINUTES} minutes long`);
  }
  const closedRun = longestClosedRun(policy.calendar);
  if (closedRun && closedRun.days > MAX_CLOSED_DAYS_IN_A_ROW) {
    errors.push(
      `calendar.holidays: close the practice ${closedRun.days} days in a row from ${closedRun.from}; at most ${MAX_CLOSED_DAYS_IN_A_ROW} days in a row may be closed`,
    );
  }
  // laneForTrigger must be total and unambiguous.
  const owner = new Map<Trigger, LaneKey>();
  for (const key of LANES) {
    for (const trigger of policy.lanes[key].triggers) {
      const other = owner.get(trigger);
      if (other) errors.push(`lanes.${key}.triggers: ${trigger} is already a trigger of lane ${other}`);
      else owner.set(trigger, key);
    }
  }
  for (const trigger of TRIGGERS) {
    if (!owner.has(trigger)) errors.push(`lanes: no lane has trigger ${trigger}; every trigger needs exactly one lane`);
  }
  for (let i = 1; i < TIERS.length; i++) {
    const [prev, tier] = [TIERS[i - 1] as Tier, TIERS[i] as Tier];
    if (policy.tierWindowMinutes[tier] < policy.tierWindowMinutes[prev]) {
      errors.push(`tierWindowMinutes.${tier}: must not be shorter than ${prev} (${policy.tierWindowMinutes[prev]})`);
    }
  }
  for (const key of LANES) {
    const lane = policy.lanes[key];
    if (lane.urgentResolutionBusinessDays !== undefined && lane.urgentResolutionBusinessDays > lane.resolutionBusinessDays) {
      errors.push(
        `lanes.${key}.urgentResolutionBusinessDays: must not exceed resolutionBusinessDays (${lane.resolutionBusinessDays})`,
      );
    }
  }
  return errors;
}

/** The lane a trigger opens a case in. Throws only if the policy bypassed `parsePolicy`'s checks. */
export function laneForTrigger(policy: Policy, trigger: Trigger): LaneKey {
  for (const key of LANES) if (policy.lanes[key].triggers.includes(trigger)) return key;
  throw new Error(`No lane handles trigger ${trigger}`);
}

/** The more pressing of two tiers. */
export function moreUrgent(a: Tier, b: Tier): Tier {
  return TIERS.indexOf(a) <= TIERS.indexOf(b) ? a : b;
}

const RAISING_VISIT_TYPES: readonly VisitType[] = ['new_patient', 'specialty_consult'];

/**
 * A new case's tier: the lane's default, raised (never lowered) by the given priority
 * (e.g. an urgent referral), by an abnormal result (urgent), by a missed new-patient or
 * specialty consult (urgent) and by missed monitoring readings (high).
 */
export function tierFor(
  policy: Policy,
  input: { trigger: Trigger; priority?: Tier | null; visitType?: VisitType | null },
): Tier {
  let tier = policy.lanes[laneForTrigger(policy, input.trigger)].defaultTier;
  if (input.priority) tier = moreUrgent(tier, input.priority);
  if (input.trigger === 'abnormal_result') tier = moreUrgent(tier, 'urgent');
  if (input.trigger === 'missed_appointment' && input.visitType && RAISING_VISIT_TYPES.includes(input.visitType)) {
    tier = moreUrgent(tier, 'urgent');
  }
  if (input.trigger === 'readings_missed') tier = moreUrgent(tier, 'high');
  return tier;
}

// ---- the policy file -------------------------------------------------------

const tierSchema = z.enum(TIERS, { error: `must be one of ${TIERS.join(', ')}` });
const triggerSchema = z.enum(TRIGGERS, { error: `must be one of ${TRIGGERS.join(', ')}` });
const text = (max: number) =>
  z
    .string({ error: 'must be text' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` });
/**
 * A whole number in `[min, max]`. Every number of the policy is bounded, so no accepted
 * policy can send the calendar arithmetic on a walk of years; the error names the range.
 */
export const wholeNumberIn = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.number({ error: 'must be a number' }).int({ error }).min(min, { error }).max(max, { error });
};
const unique = <T>(items: T[]) => new Set(items).size === items.length;
const cron = z
  .string({ error: 'must be a cron expression in quotes' })
  .refine((s) => safeCron(s), { error: (iss) => `${JSON.stringify(iss.input)} is not a valid cron expression` });
const wallTime = z
  .string({ error: 'must be a time written HH:MM' })
  .refine((s) => wallTimeMinutes(s) !== null, { error: 'must be a time written HH:MM (24-hour clock)' });

// The ranges of the policy's numbers (README "Policy file").
/** A business year. */
const MAX_RESOLUTION_BUSINESS_DAYS = 260;
/** 30 whole days of minutes. */
const MAX_TIER_WINDOW_MINUTES = 43_200;
const MAX_PRE_VISIT_LEAD_BUSINESS_DAYS = 30;
/** Enough for decades of a practice's closures. */
const MAX_HOLIDAYS = 1000;
/** Shorter business days would stretch the longest window over decades of calendar. */
const MIN_BUSINESS_DAY_MINUTES = 60;
/** Closed days in a row (weekends and holidays) beyond which the calendar is a mistake. */
const MAX_CLOSED_DAYS_IN_A_ROW = 60;

/** Failed attempts in a row a lane may allow at most. */
const MAX_ATTEMPTS = 20;

/** Business minutes per tier (any subset of the tiers). */
const tierMinutes = z.strictObject({
  urgent: wholeNumberIn(1, MAX_TIER_WINDOW_MINUTES).optional(),
  high: wholeNumberIn(1, MAX_TIER_WINDOW_MINUTES).optional(),
  routine: wholeNumberIn(1, MAX_TIER_WINDOW_MINUTES).optional(),
  low: wholeNumberIn(1, MAX_TIER_WINDOW_MINUTES).optional(),
});

const laneSchema = (key: LaneKey) =>
  z
    .strictObject({
      // Allowed so a dump of the defaults can be edited and fed back; it must name its own lane.
      key: z.literal(key, { error: `must be ${key} (the lane it is listed under)` }),
      label: text(60),
      defaultTier: tierSchema,
      triggers: z
        .array(triggerSchema, { error: 'must be a list of triggers' })
        .refine(unique, { error: 'must not list a trigger twice' }),
      resolutionBusinessDays: wholeNumberIn(1, MAX_RESOLUTION_BUSINESS_DAYS),
      urgentResolutionBusinessDays: wholeNumberIn(1, MAX_RESOLUTION_BUSINESS_DAYS).nullable(),
      defaultBackup: z
        .string({ error: 'must be a Slack user ID or null' })
        .regex(/^[UW][A-Z0-9]{2,}$/, { error: 'must be a Slack user ID (U… or W…) or null' })
        .nullable(),
      reattemptMinutes: tierMinutes,
      maxAttempts: wholeNumberIn(1, MAX_ATTEMPTS),
      // Shown in a Slack section block, whose text is capped at 3000 characters.
      script: text(2500),
    })
    .partial();

const laneEntries = Object.fromEntries(LANES.map((key) => [key, laneSchema(key).optional()]));

const overrideSchema = z
  .strictObject({
    lanes: z.strictObject(laneEntries as { [K in LaneKey]: z.ZodOptional<ReturnType<typeof laneSchema>> }),
    tierWindowMinutes: tierMinutes,
    calendar: z
      .strictObject({
        businessDays: z
          .array(
            z.number({ error: 'must be a number' }).int().min(1).max(7, { error: 'must be at most 7' }),
            { error: 'must be a list of ISO weekday numbers' },
          )
          .min(1, { error: 'must list at least one business day' })
          .refine(unique, { error: 'must not list a day twice' }),
        open: wallTime.refine((s) => s !== '24:00', { error: 'must be a time before 24:00' }),
        close: wallTime,
        holidays: z
          .array(
            z.string({ error: 'must be a date written YYYY-MM-DD' }).refine(isValidLocalDate, {
              error: (iss) => `${JSON.stringify(iss.input)} is not a date written YYYY-MM-DD`,
            }),
            { error: 'must be a list of dates' },
          )
          .max(MAX_HOLIDAYS, { error: `must list at most ${MAX_HOLIDAYS} dates` }),
      })
      .partial(),
    schedules: z.strictObject({ slaSweep: cron, dailyDigest: cron, weeklyReport: cron }).partial(),
    preVisitLeadBusinessDays: wholeNumberIn(0, MAX_PRE_VISIT_LEAD_BUSINESS_DAYS),
    staleAfterDays: wholeNumberIn(1, 90),
    reattemptMinutes: tierMinutes,
    reminderBeforeDueMinutes: wholeNumberIn(1, MAX_TIER_WINDOW_MINUTES).nullable(),
  })
  .partial();

type PolicyOverride = z.infer<typeof overrideSchema>;

function parsePolicyOverride(json: unknown): { ok: true; override: PolicyOverride } | { ok: false; errors: string[] } {
  const result = overrideSchema.safeParse(json);
  if (result.success) return { ok: true, override: result.data };
  return { ok: false, errors: result.error.issues.flatMap(describeIssue) };
}

/** One zod issue as sentences that name the JSON path, e.g. `lanes.referral.defaultTier: must be one of …`. */
function describeIssue(issue: z.core.$ZodIssue): string[] {
  const path = issue.path.map(String).join('.');
  const at = (p: string) => p || 'policy file';
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => `${at(path ? `${path}.${k}` : k)}: ${unknownKeyHint(path, k)}`);
  }
  if (issue.code === 'invalid_type' && issue.expected === 'object') return [`${at(path)}: must be a JSON object`];
  // ISO weekday numbers carry the same explanation whichever bound was missed.
  if (/^calendar\.businessDays\.\d+$/.test(path)) return [`${path}: must be an ISO weekday number from 1 (Monday) to 7 (Sunday)`];
  return [`${at(path)}: ${issue.message}`];
}

function unknownKeyHint(path: string, key: string): string {
  if (path === 'lanes') return `is not a lane (lanes are ${LANES.join(', ')})`;
  if (path === 'calendar' && key === 'timeZone') return 'is not set here: the time zone comes from PRACTICE_TIMEZONE';
  return 'is not a known setting';
}

function safeCron(expression: string): boolean {
  try {
    return isValidCron(expression);
  } catch {
    return false;
  }
}
