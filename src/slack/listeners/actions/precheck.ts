/**
 * Whether a modal is worth opening: a dry run of the very domain transition the
 * submission will ask for, with stand-in input, so a coordinator who may not act is
 * told why before filling in a form. Only refusals about who may act, or the case's
 * state, count; the stand-in input is never saved, and the service checks again.
 */
import { acknowledgeEscalation, applyNote, canAct, closeCase, escalateCase, reassignCase } from '../../../domain/case';
import type { PendingEscalation } from '../../../domain/escalation';
import type { Actor, Case, Escalation, EscalationTarget, Refusal } from '../../../domain/types';

export type ModalKind = 'note' | 'escalate' | 'close' | 'reassign' | 'acknowledge';

const STAND_IN_NOTE = {
  contact: null,
  status: 'on_track',
  barrier: 'none',
  barrierText: null,
  understanding: 'not_reached',
  understandingText: null,
  nextAction: null,
  responsibleParty: 'coordinator',
  responsibleUserId: null,
  targetDate: null,
  escalation: null,
  checklist: null,
} as const;

/** What some prechecks need besides the case: the escalation acknowledged, those still pending. */
export interface PrecheckFacts {
  escalation?: Escalation;
  pendingEscalations?: readonly PendingEscalation[];
  postedIn?: (target: EscalationTarget) => string;
}

/** The refusal the actor would get, or null when the modal may open. */
export function precheck(kind: ModalKind, c: Case, actor: Actor, now: Date, facts: PrecheckFacts = {}): Refusal | null {
  const { escalation } = facts;
  const result = (() => {
    switch (kind) {
      case 'note':
        return applyNote(c, actor, STAND_IN_NOTE, now);
      case 'escalate':
        return escalateCase(c, actor, { reason: 'worsening_symptoms', text: 'stand-in', now });
      case 'close':
        // Not needed is the one outcome a manager may choose over pending escalations.
        return closeCase(c, actor, {
          outcome: 'not_needed',
          reason: 'stand-in',
          attempts: [],
          acknowledgedEscalation: false,
          pendingEscalations: facts.pendingEscalations ?? [],
          postedIn: facts.postedIn,
          now,
        });
      case 'reassign':
        if (!canAct(actor, 'reassign_self') && !canAct(actor, 'reassign_any')) {
          return { ok: false, code: 'forbidden', message: 'Only coordinators and managers can reassign cases.' } as Refusal;
        }
        // Taking the case over is the least a coordinator may do; managers may assign others.
        return reassignCase(c, actor, { ownerId: actor.userId, backupId: null, now });
      case 'acknowledge':
        if (escalation?.acknowledgedAt) {
          return { ok: false, code: 'conflict', message: `This escalation was already acknowledged by <@${escalation.acknowledgedBy}>.` } as Refusal;
        }
        return acknowledgeEscalation(c, actor, { guidance: 'stand-in', now });
    }
  })();
  if (result.ok || result.code === 'invalid') return null;
  return result;
}
