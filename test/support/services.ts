import { FixedClock } from '../../src/clock';
import { defaultPolicy, type Policy } from '../../src/domain/policy';
import type { TriggerEvent } from '../../src/domain/trigger-event';
import type { Actor, NoteInput, Role } from '../../src/domain/types';
import { CaseService } from '../../src/services/case-service';
import { createStores, type Stores } from '../../src/store/stores';
import type { TestDatabase } from './test-db';

export const COORDINATOR = 'U0COORD01';
export const COORDINATOR_2 = 'U0COORD02';
export const PROVIDER = 'U0PROV001';
export const MANAGER = 'U0MGR0001';

export function actor(userId: string, ...roles: Role[]): Actor {
  return { userId, roles: new Set(roles) };
}
export const coordinator = (id = COORDINATOR) => actor(id, 'coordinator');
export const provider = (id = PROVIDER) => actor(id, 'provider');
export const manager = (id = MANAGER) => actor(id, 'manager');

export interface ServiceWorld {
  clock: FixedClock;
  policy: Policy;
  stores: Stores;
  cases: CaseService;
}

/** Services over a test database, at Wednesday 2026-11-25 10:00 New York unless told otherwise. */
export function serviceWorld(db: TestDatabase, at = '2026-11-25T10:00:00-05:00', policy = defaultPolicy()): ServiceWorld {
  const clock = new FixedClock(at);
  const stores = createStores(db.knex, policy.calendar);
  return { clock, policy, stores, cases: new CaseService({ stores, clock, policy }) };
}

let externalSeq = 0;
export function triggerEvent(overrides: Partial<TriggerEvent> = {}): TriggerEvent {
  externalSeq += 1;
  return {
    externalId: `ehr-${externalSeq}`,
    trigger: 'new_referral',
    occurredAt: new Date('2026-11-25T09:00:00-05:00'),
    patient: { mrn: 'MRN00012345', name: 'Ada Patient', phone: '555-010-2000', dob: '1950-02-03' },
    priority: null,
    visitType: null,
    appointmentAt: null,
    details: 'Cardiology referral',
    location: null,
    referringOffice: 'Main Street Family Practice',
    ...overrides,
  };
}

export function note(overrides: Partial<NoteInput> = {}): NoteInput {
  return {
    contact: { channel: 'phone', result: 'reached' },
    status: 'on_track',
    barrier: 'none',
    barrierText: null,
    understanding: 'understands',
    understandingText: null,
    nextAction: 'Confirm the cardiology appointment',
    responsibleParty: 'coordinator',
    responsibleUserId: null,
    targetDate: '2026-11-30',
    escalation: null,
    checklist: null,
    ...overrides,
  };
}
