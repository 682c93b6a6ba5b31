/**
 * The building blocks of the benchmark's practice: a seeded random source (the same
 * data every run, so figures compare across runs), the practice's people, and case
 * rows written straight in the database's shape (bulk inserts skip the service on
 * purpose: the data is the setting, not what is measured).
 */
import { defaultPolicy, laneForTrigger } from '../../src/domain/policy';
import { LANES, SYSTEM_ACTOR_ID, TRIGGERS, type LaneKey, type Tier, type Trigger } from '../../src/domain/types';

/** Seeded pseudo-random numbers (mulberry32): fast, and reproducible from the seed. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Durations in ms. */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The benchmark practice's coordinators (each claims and notes), provider and manager. */
export const COORDINATOR_IDS = Array.from({ length: 20 }, (_, i) => `U0BENCH${String(i + 1).padStart(2, '0')}`);
/** The practice's one provider and one manager. */
export const PROVIDER_ID = 'U0BPROV01';
export const MANAGER_ID = 'U0BMGR001';
/** Three locations, so the digest groups by location. */
export const LOCATIONS = ['Main Street Clinic', 'Riverside Clinic', 'Northgate Clinic'];

const FIRST = ['Ada', 'Ben', 'Cora', 'Dev', 'Elena', 'Farid', 'Grace', 'Hugo', 'Iris', 'Jon', 'Kemi', 'Luis', 'Mei', 'Nora', 'Omar', 'Priya'];
const LAST = ['Abbott', 'Baker', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Ito', 'Jones', 'Khan', 'Lopez', 'Moreau', 'Nguyen', 'Okafor', 'Patel'];

const policy = defaultPolicy();
const LANE_OF: Record<Trigger, LaneKey> = Object.fromEntries(TRIGGERS.map((t) => [t, laneForTrigger(policy, t)])) as Record<Trigger, LaneKey>;
const TIER_OF: Record<LaneKey, Tier> = Object.fromEntries(LANES.map((l) => [l, policy.lanes[l].defaultTier])) as Record<LaneKey, Tier>;

/** A case row as the `cases` table holds it; every instant in epoch ms. */
export type CaseRow = Record<string, string | number | boolean | null>;

/**
 * An open, unclaimed case of trigger `i mod triggers`, occurred at `occurredAt`, with
 * its due times given; `fields` overrides any column (owner, state, first response …).
 */
export function caseRow(rnd: Random, n: number, times: { occurredAt: number; firstResponseDueAt: number; resolutionDueAt: number }, fields: CaseRow = {}): CaseRow {
  const trigger = TRIGGERS[n % TRIGGERS.length]!;
  const lane = LANE_OF[trigger];
  const created = times.occurredAt + rnd.between(1, 30) * MINUTE;
  const row: CaseRow = {
    external_id: `ehr-${n}`,
    lane,
    tier: TIER_OF[lane],
    state: 'open',
    trigger,
    occurred_at: times.occurredAt,
    created_at: created,
    updated_at: created,
    patient_mrn: `MRN${String(10_000_000 + n)}`,
    patient_name: `${rnd.pick(FIRST)} ${rnd.pick(LAST)}`,
    patient_phone: `555-01${String(rnd.int(100)).padStart(2, '0')}-${String(rnd.int(10_000)).padStart(4, '0')}`,
    patient_dob: `19${rnd.between(30, 99)}-0${rnd.between(1, 9)}-1${rnd.between(0, 9)}`,
    details: 'Follow-up requested by the care team',
    location: LOCATIONS[n % LOCATIONS.length]!,
    referring_office: lane === 'referral' ? 'Lakeside Family Practice' : null,
    visit_type: null,
    appointment_at: null,
    owner_id: null,
    backup_id: null,
    claimed_at: null,
    first_response_due_at: times.firstResponseDueAt,
    resolution_due_at: times.resolutionDueAt,
    first_response_at: null,
    next_action: null,
    next_action_due: null,
    consecutive_failed_attempts: 0,
    closed_at: null,
    outcome: null,
    close_reason: null,
    loop_closed: null,
    version: 1,
  };
  // Assigned, not spread into the literal: that keeps V8's fast object shape (3× faster on 100k rows).
  return Object.keys(fields).length === 0 ? row : Object.assign(row, fields);
}

/** The same case, claimed by `owner` at `at` (active, first outreach logged, next action due on `due`). */
export function claimed(row: CaseRow, owner: string, at: number, due: string): CaseRow {
  return {
    ...row,
    state: 'active',
    owner_id: owner,
    backup_id: COORDINATOR_IDS[(COORDINATOR_IDS.indexOf(owner) + 1) % COORDINATOR_IDS.length]!,
    claimed_at: at,
    first_response_at: at + 30 * MINUTE,
    next_action: 'Call the patient back about scheduling',
    next_action_due: due,
    updated_at: at + 30 * MINUTE,
    version: 3,
  };
}

/** The 'opened' audit entry of a case row (ids are assigned 1…n in insertion order). */
export function openedEventRow(caseId: number, row: CaseRow): Record<string, unknown> {
  return {
    case_id: caseId,
    action: 'opened',
    actor_id: SYSTEM_ACTOR_ID,
    at: row.created_at,
    before: null,
    after: JSON.stringify({ lane: row.lane, tier: row.tier, state: 'open', trigger: row.trigger, externalId: row.external_id }),
  };
}
