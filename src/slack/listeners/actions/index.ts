import type { App } from '@slack/bolt';
import { OPEN_CHART_ACTION } from '../../blocks/case-details';
import { closeModal, escalateModal, reassignModal } from '../../blocks/case-modals';
import type { SlackContext } from '../../context';
import { ACTIONS, NEW_CASE } from '../../ids';
import { claimCase } from './claim-case';
import { newCaseTriggerChanged } from './new-case-trigger-changed';
import { openAcknowledgeModal } from './open-acknowledge-modal';
import { openGuidanceModal } from './open-guidance-modal';
import { openCaseModal } from './open-case-modal';
import { openNoteModal } from './open-note-modal';
import { openScriptModal } from './open-script-modal';
import { reopenCase } from './reopen-case';
import { viewDetails } from './view-details';

/** Buttons on case cards and escalation posts (and wherever else a case's buttons are shown). */
export function registerActions(app: App, ctx: SlackContext): void {
  const modalContext = (c: { lane: keyof SlackContext['policy']['lanes'] }) => ({ labelMode: ctx.config.PATIENT_LABEL, laneLabel: ctx.policy.lanes[c.lane].label });
  app.action(ACTIONS.caseClaim, claimCase(ctx));
  app.action(ACTIONS.caseAddNote, openNoteModal(ctx));
  app.action(ACTIONS.caseEscalate, openCaseModal(ctx, 'escalate', (c) => escalateModal(c, modalContext(c))));
  app.action(ACTIONS.caseClose, openCaseModal(ctx, 'close', (c) => closeModal(c, modalContext(c))));
  app.action(ACTIONS.caseReassign, openCaseModal(ctx, 'reassign', (c, p) => reassignModal(c, { ...modalContext(c), actorId: p.actor.userId })));
  app.action(ACTIONS.caseScript, openScriptModal(ctx));
  app.action(ACTIONS.caseViewDetails, viewDetails(ctx));
  app.action(ACTIONS.caseReopen, reopenCase(ctx));
  app.action(ACTIONS.escalationAcknowledge, openAcknowledgeModal(ctx));
  app.action(ACTIONS.escalationAddGuidance, openGuidanceModal(ctx));
  // New-case modal: choosing the trigger rebuilds the modal with that trigger's inputs.
  app.action(NEW_CASE.trigger, newCaseTriggerChanged(ctx));
  // A link button still sends an action; acknowledging it keeps Slack from flagging the click.
  app.action(OPEN_CHART_ACTION, async ({ ack }) => ack());
}
