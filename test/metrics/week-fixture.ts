/**
 * A hand-built fortnight of follow-up work (2026-W47 and W48, New York, Thanksgiving
 * Thursday 26 November a holiday) driven through CaseService with a clock moving through
 * time, so the audit trail is exactly what CareBridge writes. The letters name the cases
 * in metrics.test.ts, which states every expected figure and why.
 */
import { addCalendarDays, practiceDate } from '../../src/domain/calendar';
import { defaultPolicy, type Policy } from '../../src/domain/policy';
import type { NoteInput } from '../../src/domain/types';
import type { CaseResult } from '../../src/services/case-service';
import { coordinator, manager, note, provider, serviceWorld, triggerEvent, type ServiceWorld } from '../support/services';
import type { TestDatabase } from '../support/test-db';

/** Default policy with Thanksgiving 2026 as a practice holiday. */
export function thanksgivingPolicy(): Policy {
  const policy = defaultPolicy();
  policy.calendar.holidays = ['2026-11-26'];
  return policy;
}

/** A driver that sets the clock before each action and fails loudly when CareBridge refuses. */
export function driver(w: ServiceWorld) {
  const ok = (r: CaseResult) => {
    if (!r.ok) throw new Error(`refused: ${r.message} ${JSON.stringify(r.errors ?? {})}`);
    return r.case;
  };
  const at = (time: string) => w.clock.set(time);
  /** A note whose target date is a week after the note's own practice date (always valid). */
  const noteAt = async (id: number, time: string, fields: Partial<NoteInput>) => {
    at(time);
    const targetDate = addCalendarDays(practiceDate(w.policy.calendar, w.clock.now()), 7);
    return ok(await w.cases.addNote(id, coordinator(), note({ targetDate, ...fields })));
  };
  return {
    at,
    noteAt,
    async open(time: string, occurredAt: string, overrides: Parameters<typeof triggerEvent>[0] = {}) {
      at(time);
      return (await w.cases.openCase(triggerEvent({ occurredAt: new Date(occurredAt), ...overrides }))).case.id;
    },
    async claim(id: number, time: string) {
      at(time);
      return ok(await w.cases.claim(id, coordinator()));
    },
    async close(id: number, time: string, outcome: 'completed' | 'not_needed' | 'unreachable', loopClosed?: boolean) {
      at(time);
      return ok(await w.cases.close(id, manager(), { outcome, reason: 'Documented in the chart', loopClosed }));
    },
    async reopen(id: number, time: string) {
      at(time);
      return ok(await w.cases.reopen(id, manager()));
    },
    /** An automatic escalation, as the SLA sweep raises it. */
    async systemEscalate(id: number, time: string, reason: 'response_window_missed' | 'urgent_referral_delay') {
      at(time);
      return ok(await w.cases.escalate(id, 'system', reason, null));
    },
    async acknowledge(caseId: number, time: string) {
      at(time);
      const [escalation] = (await w.stores.cases.listEscalations(caseId)).filter((e) => !e.acknowledgedAt);
      return ok(await w.cases.acknowledge(escalation!.id, provider(), 'Go ahead as planned.'));
    },
  };
}

const phone = (result: 'reached' | 'no_answer' | 'left_voicemail') => ({ contact: { channel: 'phone' as const, result } });
const postVisit = { trigger: 'consult_completed' as const, referringOffice: null };
const missed = { trigger: 'missed_appointment' as const, visitType: 'follow_up' as const, referringOffice: null };
const discharge = { trigger: 'hospital_discharge' as const, referringOffice: null };

/** Builds every case of the fortnight; returns their ids by letter. */
export async function buildFortnight(db: TestDatabase): Promise<{ world: ServiceWorld; ids: Record<string, number> }> {
  const world = serviceWorld(db, '2026-10-01T09:00:00-04:00', thanksgivingPolicy());
  const d = driver(world);
  const ids: Record<string, number> = {};

  // P: an old referral, untouched since October, closed only after W48 ends.
  ids.P = await d.open('2026-10-01T09:00:00-04:00', '2026-10-01T09:00:00-04:00');
  await d.claim(ids.P, '2026-10-01T09:10:00-04:00');
  await d.noteAt(ids.P, '2026-10-02T10:00:00-04:00', phone('reached'));

  // D, E, F, G: post-visit cases whose resolution targets fall in W48.
  ids.D = await d.open('2026-11-09T09:00:00-05:00', '2026-11-09T09:00:00-05:00', postVisit);
  await d.claim(ids.D, '2026-11-09T09:05:00-05:00');
  await d.noteAt(ids.D, '2026-11-09T10:00:00-05:00', phone('reached'));
  await d.close(ids.D, '2026-11-20T11:00:00-05:00', 'completed');
  ids.E = await d.open('2026-11-10T09:00:00-05:00', '2026-11-10T09:00:00-05:00', postVisit);
  await d.claim(ids.E, '2026-11-10T09:05:00-05:00');
  await d.noteAt(ids.E, '2026-11-12T10:00:00-05:00', phone('reached'));
  await d.close(ids.E, '2026-11-25T09:00:00-05:00', 'completed');
  ids.F = await d.open('2026-11-11T09:00:00-05:00', '2026-11-11T09:00:00-05:00', postVisit);
  await d.close(ids.F, '2026-11-20T12:00:00-05:00', 'not_needed');
  ids.G = await d.open('2026-11-12T09:00:00-05:00', '2026-11-12T09:00:00-05:00', postVisit);
  await d.claim(ids.G, '2026-11-12T09:05:00-05:00');
  await d.noteAt(ids.G, '2026-11-13T10:00:00-05:00', { ...phone('reached'), barrier: 'language' });

  // Q: closed in W47 without any attempt, reopened after W48: closed throughout W48.
  ids.Q = await d.open('2026-11-16T09:00:00-05:00', '2026-11-16T09:00:00-05:00');
  await d.close(ids.Q, '2026-11-19T12:00:00-05:00', 'not_needed');
  await d.reopen(ids.Q, '2026-12-02T09:00:00-05:00');

  // N: referral answered in W47, escalated in W47, acknowledged and completed in W48 (office not told).
  ids.N = await d.open('2026-11-18T08:00:00-05:00', '2026-11-18T08:00:00-05:00');
  await d.claim(ids.N, '2026-11-18T08:05:00-05:00');
  await d.noteAt(ids.N, '2026-11-19T09:00:00-05:00', { ...phone('reached'), barrier: 'work_schedule' });
  await d.noteAt(ids.N, '2026-11-20T10:00:00-05:00', {
    contact: null, barrier: 'confusion', escalation: { reason: 'medication_confusion', text: 'Unsure which dose to take' },
  });
  await d.acknowledge(ids.N, '2026-11-23T09:00:00-05:00');
  await d.close(ids.N, '2026-11-27T12:30:00-05:00', 'completed', false);

  // B: crosses the week boundary: triggered Friday of W47, first answered Monday of W48.
  ids.B = await d.open('2026-11-20T15:00:00-05:00', '2026-11-20T15:00:00-05:00');
  await d.claim(ids.B, '2026-11-20T15:30:00-05:00');
  await d.noteAt(ids.B, '2026-11-23T10:00:00-05:00', { ...phone('no_answer'), barrier: 'phone_tag', status: 'waiting_on_patient' });
  await d.noteAt(ids.B, '2026-11-24T10:30:00-05:00', {
    contact: { channel: 'text', result: 'message_sent' }, barrier: 'phone_tag', status: 'waiting_on_patient',
    escalation: { reason: 'medication_confusion', text: 'Asked by text about doubled tablets' },
  });

  // M: an urgent referral nobody claimed; in W48 the SLA sweep escalates it twice, which is not movement.
  ids.M = await d.open('2026-11-20T16:30:00-05:00', '2026-11-20T16:30:00-05:00', { priority: 'urgent' });
  await d.systemEscalate(ids.M, '2026-11-23T11:35:00-05:00', 'response_window_missed');
  await d.systemEscalate(ids.M, '2026-11-24T16:35:00-05:00', 'urgent_referral_delay');

  // A: a referral answered in 2 business hours and completed with the loop closed.
  ids.A = await d.open('2026-11-23T09:00:00-05:00', '2026-11-23T09:00:00-05:00');
  await d.claim(ids.A, '2026-11-23T09:30:00-05:00');
  await d.noteAt(ids.A, '2026-11-23T11:00:00-05:00', { ...phone('reached'), barrier: 'transportation' });
  await d.noteAt(ids.A, '2026-11-25T08:30:00-05:00', { contact: { channel: 'outside_office', result: 'outside_office_responded' } });
  await d.close(ids.A, '2026-11-25T09:00:00-05:00', 'completed', true);

  // H, I: missed appointments, one recovered, one unreachable after three attempts on two channels.
  ids.H = await d.open('2026-11-23T13:00:00-05:00', '2026-11-23T13:00:00-05:00', missed);
  await d.claim(ids.H, '2026-11-23T13:10:00-05:00');
  await d.noteAt(ids.H, '2026-11-24T09:00:00-05:00', phone('reached'));
  await d.close(ids.H, '2026-11-24T10:00:00-05:00', 'completed');
  ids.I = await d.open('2026-11-24T09:00:00-05:00', '2026-11-24T09:00:00-05:00', missed);
  await d.claim(ids.I, '2026-11-24T09:05:00-05:00');
  await d.noteAt(ids.I, '2026-11-24T10:00:00-05:00', { ...phone('no_answer'), barrier: 'work_schedule' });
  await d.noteAt(ids.I, '2026-11-24T11:00:00-05:00', { contact: { channel: 'text', result: 'message_sent' }, barrier: 'work_schedule' });
  await d.noteAt(ids.I, '2026-11-25T09:00:00-05:00', { ...phone('left_voicemail'), barrier: 'phone_tag' });
  await d.close(ids.I, '2026-11-25T10:00:00-05:00', 'unreachable');

  // J: urgent discharge answered late, with an urgent escalation acknowledged in 1.5 business hours.
  ids.J = await d.open('2026-11-23T14:00:00-05:00', '2026-11-23T14:00:00-05:00', discharge);
  await d.claim(ids.J, '2026-11-23T14:10:00-05:00');
  await d.noteAt(ids.J, '2026-11-24T10:00:00-05:00', {
    ...phone('reached'), barrier: 'confusion', escalation: { reason: 'worsening_symptoms', text: 'New shortness of breath' },
  });
  await d.acknowledge(ids.J, '2026-11-24T11:30:00-05:00');

  // L: a duplicate referral closed before its window ended, without any attempt.
  ids.L = await d.open('2026-11-24T09:00:00-05:00', '2026-11-24T09:00:00-05:00');
  await d.close(ids.L, '2026-11-24T10:00:00-05:00', 'not_needed');

  // C: post-visit whose first response was logged on the Thanksgiving holiday.
  ids.C = await d.open('2026-11-25T16:00:00-05:00', '2026-11-25T16:00:00-05:00', postVisit);
  await d.claim(ids.C, '2026-11-25T16:05:00-05:00');
  await d.noteAt(ids.C, '2026-11-26T10:00:00-05:00', { ...phone('reached'), barrier: 'transportation' });

  // K: urgent discharge on the Friday after the holiday, never answered.
  ids.K = await d.open('2026-11-27T10:00:00-05:00', '2026-11-27T10:00:00-05:00', discharge);

  // After W48: P closes, Q reopens (above). Neither may change W48's figures.
  await d.close(ids.P, '2026-12-01T10:00:00-05:00', 'completed', true);
  return { world, ids };
}
