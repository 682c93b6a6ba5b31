/**
 * The living case card: one message per case in the coordinators channel, re-rendered
 * from the database on every change. Channel content (SPEC §6): case number, lane,
 * tier, due times, owner, backup and the patient label only; never a patient field
 * or note text (the next step shows its due date and who is responsible, not what it says).
 */
import type { PatientLabelMode } from '../../domain/types';
import type { PracticeCalendar } from '../../domain/calendar';
import { pendingEscalationsLine } from '../../domain/escalation';
import { earlierNoShowsText } from '../../domain/no-shows';
import { LANE_LABELS, TIER_LABELS } from '../../domain/policy';
import { isReattemptOverdue } from '../../domain/reattempt';
import { isFirstResponseBreached, isNextActionOverdue, isResolutionOverdue } from '../../domain/sla';
import type { Case, Escalation, Guidance, Note } from '../../domain/types';
import { ACTIONS, BLOCKS } from '../ids';
import { formatPracticeDate, formatPracticeTime } from './format';
import { actions, button, context, fields, header, section, type Button, type SlackMessage } from './kit';
import { OUTCOME_LABELS, RESPONSIBLE_PARTY_LABELS, STATE_LABELS } from '../../domain/labels';
import { patientLabel } from './patient-label';

export interface CaseCardContext {
  now: Date;
  calendar: PracticeCalendar;
  labelMode: PatientLabelMode;
  /** The practice's lane label (POLICY_FILE may rename lanes); defaults to SPEC §2's. */
  laneLabel?: string;
  /** The owner is away today: their alerts go to the backup. */
  ownerAway?: boolean;
  /** Who is responsible for the next step, from the latest note (its text is never shown). */
  latestNextAction?: Pick<Note, 'responsibleParty' | 'responsibleUserId'> | null;
  /** missed_appointment: the patient's no-shows in the 12 months before this one (a count, not PHI). */
  earlierNoShows?: number | null;
  /** The latest guidance a provider added: the card says who and when, never what. */
  latestGuidance?: Pick<Guidance, 'authorId' | 'addedAt'> | null;
  /** Escalations still waiting for acknowledgement: the card says how many and for how long. */
  pendingEscalations?: readonly Pick<Escalation, 'raisedAt'>[];
  /** The lane's failed patient attempts in a row before the case must be escalated or closed unreachable. */
  maxAttempts?: number;
}

const OVERDUE = ':warning: *overdue*';

/** The card as `{ text, blocks }` for chat.postMessage / chat.update (or reuse in digests and `/followup case`). */
export function caseCardMessage(c: Case, ctx: CaseCardContext): SlackMessage {
  const lane = ctx.laneLabel ?? LANE_LABELS[c.lane];
  const label = patientLabel(c.patient, ctx.labelMode);
  const summary = [TIER_LABELS[c.tier], stateSummary(c), label && `Patient ${label}`].filter(Boolean).join(' · ');
  const pending = c.state === 'closed' ? null : pendingEscalationsLine(ctx.pendingEscalations ?? [], ctx.now);
  const blocks = [
    header(`${c.number} · ${lane}`),
    section(`*${TIER_LABELS[c.tier]}* · ${stateSummary(c)}${label ? ` · Patient \`${label}\`` : ''}${pending ? `\n:rotating_light: ${pending}` : ''}`),
    fields(cardFields(c, ctx)),
  ];
  const buttons = cardButtons(c);
  blocks.push(actions(BLOCKS.cardActions, buttons));
  const noShows = typeof ctx.earlierNoShows === 'number' ? ` · ${earlierNoShowsText(ctx.earlierNoShows)}` : '';
  if (ctx.latestGuidance) blocks.push(context(`:stethoscope: Guidance from <@${ctx.latestGuidance.authorId}>, ${formatPracticeTime(ctx.latestGuidance.addedAt, ctx.calendar)} — in View details`));
  blocks.push(context(`Updated ${formatPracticeTime(c.updatedAt, ctx.calendar)}${noShows}`));
  return { text: `${c.number} · ${lane} · ${summary}`, blocks };
}

/** "Open · unclaimed", "Escalated · awaiting review", "Closed · Completed". */
function stateSummary(c: Case): string {
  if (c.state === 'open') return c.ownerId ? STATE_LABELS.open : 'Open · unclaimed';
  if (c.state === 'escalated') return 'Escalated · awaiting review';
  if (c.state === 'waiting') return 'Waiting';
  if (c.state === 'closed') return `Closed · ${c.outcome ? OUTCOME_LABELS[c.outcome] : 'no outcome'}`;
  return STATE_LABELS[c.state];
}

function cardFields(c: Case, ctx: CaseCardContext): string[] {
  const at = (d: Date) => formatPracticeTime(d, ctx.calendar);
  const owner = c.ownerId ? `<@${c.ownerId}>${ctx.ownerAway ? ' (away: alerts go to the backup)' : ''}` : 'Unclaimed';
  const out = [`*Owner*\n${owner}`, `*Backup*\n${c.backupId ? `<@${c.backupId}>` : 'None'}`];
  if (c.state === 'closed') {
    out.push(`*Closed*\n${c.closedAt ? at(c.closedAt) : '—'}`);
    out.push(`*Outcome*\n${c.outcome ? OUTCOME_LABELS[c.outcome] : '—'}${loopNote(c)}`);
    return out;
  }
  const firstResponse = c.firstResponseAt
    ? `Logged ${at(c.firstResponseAt)}`
    : `Due ${at(c.firstResponseDueAt)}${isFirstResponseBreached(c, ctx.now) ? ` ${OVERDUE}` : ''}`;
  out.push(`*First response*\n${firstResponse}`);
  out.push(`*Resolution target*\n${at(c.resolutionDueAt)}${isResolutionOverdue(c, ctx.now) ? ` ${OVERDUE}` : ''}`);
  out.push(`*Next step*\n${nextStep(c, ctx)}`);
  const outreach = outreachField(c, ctx);
  if (outreach) out.push(`*Outreach*\n${outreach}`);
  return out;
}

/**
 * After failed patient attempts: how many of the lane's maximum, and when the next is
 * due ("2 of 6 attempts failed · Next attempt due …"), or that the attempts are used up.
 */
function outreachField(c: Case, ctx: CaseCardContext): string | null {
  if (c.consecutiveFailedAttempts === 0) return null;
  const max = ctx.maxAttempts;
  const count = `${c.consecutiveFailedAttempts}${max ? ` of ${max}` : ''} attempt${c.consecutiveFailedAttempts === 1 && !max ? '' : 's'} failed`;
  if (max !== undefined && c.consecutiveFailedAttempts >= max) return `:warning: ${count}: escalate or close as unreachable`;
  if (!c.nextAttemptDueAt) return count;
  const overdue = isReattemptOverdue(c, ctx.now) ? ` ${OVERDUE}` : '';
  return `${count} · Next attempt due ${formatPracticeTime(c.nextAttemptDueAt, ctx.calendar)}${overdue}`;
}

/** "Due Mon Nov 30 (Coordinator: @Ann)" — who and when, never what. */
function nextStep(c: Case, ctx: CaseCardContext): string {
  if (!c.nextActionDue) return 'Not set yet';
  const who = ctx.latestNextAction;
  const party = who ? ` (${RESPONSIBLE_PARTY_LABELS[who.responsibleParty]}${who.responsibleUserId ? `: <@${who.responsibleUserId}>` : ''})` : '';
  const overdue = isNextActionOverdue(ctx.calendar, c, ctx.now) ? ` ${OVERDUE}` : '';
  return `Due ${formatPracticeDate(c.nextActionDue)}${party}${overdue}`;
}

function loopNote(c: Case): string {
  if (c.loopClosed === null) return '';
  return c.loopClosed ? ' · referring office told' : ' · referring office *not* told';
}

/**
 * Buttons by state. Anyone may see them; each action is authorised again when pressed.
 * A closed card keeps only Reopen (managers, or the owner within 7 days).
 */
function cardButtons(c: Case): Button[] {
  const value = String(c.id);
  if (c.state === 'closed') return [button({ text: 'Reopen', actionId: ACTIONS.caseReopen, value })];
  const list: Button[] = [];
  if (c.ownerId === null) list.push(button({ text: 'Claim', actionId: ACTIONS.caseClaim, value, style: 'primary' }));
  list.push(
    button({ text: 'Add note', actionId: ACTIONS.caseAddNote, value }),
    button({ text: 'Escalate', actionId: ACTIONS.caseEscalate, value, style: 'danger' }),
    button({ text: 'Close', actionId: ACTIONS.caseClose, value }),
    button({ text: 'Reassign', actionId: ACTIONS.caseReassign, value }),
    button({ text: 'Script', actionId: ACTIONS.caseScript, value }),
    button({ text: 'View details', actionId: ACTIONS.caseViewDetails, value }),
  );
  return list;
}
