import { caseNumber } from '../domain/case-number';
import type { Case, Escalation, Note, NoteInput } from '../domain/types';

const ms = (d: Date | null | undefined): number | null => (d ? d.getTime() : null);
const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(Number(v)));
const bool = (v: unknown): boolean | null => (v === null || v === undefined ? null : Boolean(v));

export type CaseRow = Record<string, unknown>;

export function caseToRow(c: Omit<Case, 'id' | 'number'>): CaseRow {
  return {
    external_id: c.externalId,
    lane: c.lane,
    tier: c.tier,
    state: c.state,
    trigger: c.trigger,
    occurred_at: ms(c.occurredAt),
    created_at: ms(c.createdAt),
    updated_at: ms(c.updatedAt),
    patient_mrn: c.patient.mrn,
    patient_name: c.patient.name,
    patient_phone: c.patient.phone ?? null,
    patient_dob: c.patient.dob ?? null,
    details: c.details,
    location: c.location,
    referring_office: c.referringOffice,
    visit_type: c.visitType,
    appointment_at: ms(c.appointmentAt),
    owner_id: c.ownerId,
    backup_id: c.backupId,
    claimed_at: ms(c.claimedAt),
    first_response_due_at: ms(c.firstResponseDueAt),
    resolution_due_at: ms(c.resolutionDueAt),
    first_response_at: ms(c.firstResponseAt),
    next_action: c.nextAction,
    next_action_due: c.nextActionDue,
    consecutive_failed_attempts: c.consecutiveFailedAttempts,
    last_reached_at: ms(c.lastReachedAt),
    next_attempt_due_at: ms(c.nextAttemptDueAt),
    next_action_attempted_at: ms(c.nextActionAttemptedAt),
    last_moved_at: ms(c.lastMovedAt),
    closed_at: ms(c.closedAt),
    outcome: c.outcome,
    close_reason: c.closeReason,
    loop_closed: c.loopClosed,
    version: c.version,
  };
}

export function rowToCase(r: CaseRow): Case {
  const id = Number(r.id);
  return {
    id,
    number: caseNumber(id),
    externalId: (r.external_id as string | null) ?? null,
    lane: r.lane as Case['lane'],
    tier: r.tier as Case['tier'],
    state: r.state as Case['state'],
    trigger: r.trigger as Case['trigger'],
    occurredAt: date(r.occurred_at)!,
    createdAt: date(r.created_at)!,
    updatedAt: date(r.updated_at)!,
    patient: {
      mrn: r.patient_mrn as string,
      name: r.patient_name as string,
      phone: (r.patient_phone as string | null) ?? null,
      dob: (r.patient_dob as string | null) ?? null,
    },
    details: (r.details as string | null) ?? null,
    location: (r.location as string | null) ?? null,
    referringOffice: (r.referring_office as string | null) ?? null,
    visitType: (r.visit_type as Case['visitType']) ?? null,
    appointmentAt: date(r.appointment_at),
    ownerId: (r.owner_id as string | null) ?? null,
    backupId: (r.backup_id as string | null) ?? null,
    claimedAt: date(r.claimed_at),
    firstResponseDueAt: date(r.first_response_due_at)!,
    resolutionDueAt: date(r.resolution_due_at)!,
    firstResponseAt: date(r.first_response_at),
    nextAction: (r.next_action as string | null) ?? null,
    nextActionDue: (r.next_action_due as string | null) ?? null,
    consecutiveFailedAttempts: Number(r.consecutive_failed_attempts ?? 0),
    lastReachedAt: date(r.last_reached_at),
    nextAttemptDueAt: date(r.next_attempt_due_at),
    nextActionAttemptedAt: date(r.next_action_attempted_at),
    lastMovedAt: date(r.last_moved_at) ?? date(r.created_at)!,
    closedAt: date(r.closed_at),
    outcome: (r.outcome as Case['outcome']) ?? null,
    closeReason: (r.close_reason as string | null) ?? null,
    loopClosed: bool(r.loop_closed),
    version: Number(r.version),
  };
}

export function noteToRow(caseId: number, authorId: string, at: Date, n: NoteInput): Record<string, unknown> {
  return {
    case_id: caseId,
    author_id: authorId,
    created_at: at.getTime(),
    contact_channel: n.contact?.channel ?? null,
    contact_result: n.contact?.result ?? null,
    status: n.status,
    barrier: n.barrier,
    barrier_text: n.barrierText,
    understanding: n.understanding,
    understanding_text: n.understandingText,
    next_action: n.nextAction,
    responsible_party: n.responsibleParty,
    responsible_user_id: n.responsibleUserId,
    target_date: n.targetDate,
    escalation_reason: n.escalation?.reason ?? null,
    escalation_text: n.escalation?.text ?? null,
    checklist: n.checklist ? JSON.stringify(n.checklist) : null,
  };
}

export function rowToNote(r: Record<string, unknown>): Note {
  return {
    id: Number(r.id),
    caseId: Number(r.case_id),
    authorId: r.author_id as string,
    createdAt: date(r.created_at)!,
    contact: r.contact_channel
      ? { channel: r.contact_channel as NonNullable<NoteInput['contact']>['channel'], result: r.contact_result as NonNullable<NoteInput['contact']>['result'] }
      : null,
    status: r.status as NoteInput['status'],
    barrier: r.barrier as NoteInput['barrier'],
    barrierText: (r.barrier_text as string | null) ?? null,
    understanding: r.understanding as NoteInput['understanding'],
    understandingText: (r.understanding_text as string | null) ?? null,
    nextAction: (r.next_action as string | null) ?? null,
    responsibleParty: r.responsible_party as NoteInput['responsibleParty'],
    responsibleUserId: (r.responsible_user_id as string | null) ?? null,
    targetDate: (r.target_date as string | null) ?? null,
    escalation: r.escalation_reason
      ? { reason: r.escalation_reason as NonNullable<NoteInput['escalation']>['reason'], text: (r.escalation_text as string) ?? '' }
      : null,
    checklist: r.checklist ? (JSON.parse(r.checklist as string) as NoteInput['checklist']) : null,
  };
}

export function rowToEscalation(r: Record<string, unknown>): Escalation {
  return {
    id: Number(r.id),
    caseId: Number(r.case_id),
    reason: r.reason as Escalation['reason'],
    text: (r.text as string | null) ?? null,
    target: r.target as Escalation['target'],
    urgent: Boolean(r.urgent),
    raisedBy: r.raised_by as string,
    raisedAt: date(r.raised_at)!,
    acknowledgedBy: (r.acknowledged_by as string | null) ?? null,
    acknowledgedAt: date(r.acknowledged_at),
    guidance: (r.guidance as string | null) ?? null,
    reraisedAt: date(r.reraised_at),
  };
}
