/**
 * Escalation posts (SPEC §5) for the providers or managers channel, and the DM that
 * returns an acknowledged case to its owner. Channel posts carry the case number,
 * lane, tier, reason, the patient label and the latest note's *structured* summary
 * (status, barrier, understanding), never free text. The provider's guidance is
 * clinical text: it appears only in the owner's DM, never in the channel or `text`.
 */
import type { PatientLabelMode } from '../../domain/types';
import type { PracticeCalendar } from '../../domain/calendar';
import { ESCALATION_LABELS } from '../../domain/escalation';
import { LANE_LABELS, TIER_LABELS } from '../../domain/policy';
import type { Case, Escalation, Guidance, Note } from '../../domain/types';
import { SYSTEM_ACTOR_ID } from '../../domain/types';
import { ACTIONS, BLOCKS } from '../ids';
import { clip, escapeMrkdwn, formatPracticeTime } from './format';
import { actions, button, context, fields, header, section, type SlackMessage } from './kit';
import { BARRIER_LABELS, NOTE_STATUS_LABELS, UNDERSTANDING_LABELS } from '../../domain/labels';
import { patientLabel } from './patient-label';

export interface EscalationPostContext {
  calendar: PracticeCalendar;
  labelMode: PatientLabelMode;
  laneLabel?: string;
  /** The case's latest note, summarised by its structured fields only. */
  latestNote?: Pick<Note, 'status' | 'barrier' | 'understanding' | 'createdAt' | 'authorId'> | null;
}

/** The post, with an Acknowledge button while unacknowledged; who acknowledged and when afterwards. */
export function escalationPostMessage(e: Escalation, c: Case, ctx: EscalationPostContext): SlackMessage {
  const lane = ctx.laneLabel ?? LANE_LABELS[c.lane];
  const reason = ESCALATION_LABELS[e.reason];
  const label = patientLabel(c.patient, ctx.labelMode);
  const at = (d: Date) => formatPracticeTime(d, ctx.calendar);
  const urgent = e.urgent ? 'Urgent escalation' : 'Escalation';
  const blocks = [
    header(`${e.urgent ? '🚨 ' : ''}${urgent}: ${c.number}`),
    fields([
      `*Reason*\n${reason}`,
      `*Case*\n${c.number}${label ? ` · \`${label}\`` : ''}`,
      `*Lane*\n${lane}`,
      `*Tier*\n${TIER_LABELS[c.tier]}`,
      `*Owner*\n${c.ownerId ? `<@${c.ownerId}>` : 'Unclaimed'}`,
      `*Raised*\n${e.raisedBy === SYSTEM_ACTOR_ID ? 'Automatically by CareBridge' : `<@${e.raisedBy}>`}, ${at(e.raisedAt)}`,
    ]),
    section(latestNoteSummary(ctx.latestNote)),
  ];
  if (e.acknowledgedAt) {
    blocks.push(context(`:white_check_mark: Acknowledged by <@${e.acknowledgedBy}> ${at(e.acknowledgedAt)}. The case is back with its owner.`));
    if (c.state !== 'closed') blocks.push(actions(BLOCKS.escalationActions, [button({ text: 'Add guidance', actionId: ACTIONS.escalationAddGuidance, value: String(e.id) })]));
  } else {
    blocks.push(
      actions(BLOCKS.escalationActions, [
        button({ text: 'Acknowledge', actionId: ACTIONS.escalationAcknowledge, value: String(e.id), style: 'primary' }),
        button({ text: 'View details', actionId: ACTIONS.caseViewDetails, value: String(c.id) }),
      ]),
    );
    blocks.push(context('Acknowledge to send your guidance to the owner. View details shows the patient and the notes to you alone.'));
  }
  const state = e.acknowledgedAt ? ' (acknowledged)' : '';
  return { text: `${urgent}${state}: ${c.number} · ${lane} · ${TIER_LABELS[c.tier]} · ${reason}`, blocks };
}

/** "Latest note (@Ann, Wed Nov 25, 10:00 AM): Waiting on patient · Barrier: Transportation · Partly understands". */
function latestNoteSummary(n: EscalationPostContext['latestNote']): string {
  if (!n) return '*Latest note*\nNo notes yet.';
  return [
    `*Latest note* (<@${n.authorId}>)`,
    `Status: ${NOTE_STATUS_LABELS[n.status]} · Barrier: ${BARRIER_LABELS[n.barrier]} · Understanding: ${UNDERSTANDING_LABELS[n.understanding]}`,
  ].join('\n');
}

/**
 * The DM telling the owner their case is back with them, with the provider's guidance
 * in the body (a message, the minimum necessary; SPEC §6). `text` stays PHI-free.
 */
export function guidanceDirectMessage(e: Escalation, c: Case, ctx: Omit<EscalationPostContext, 'latestNote'>): SlackMessage {
  const lane = ctx.laneLabel ?? LANE_LABELS[c.lane];
  const label = patientLabel(c.patient, ctx.labelMode);
  const by = `<@${e.acknowledgedBy}>`;
  const when = e.acknowledgedAt ? formatPracticeTime(e.acknowledgedAt, ctx.calendar) : '';
  const guidance = escapeMrkdwn(e.guidance ?? '').split('\n').map((line) => `>${line}`).join('\n');
  return {
    text: `${c.number} is back with you: ${by} acknowledged the escalation.`,
    blocks: [
      section(`*${c.number}* · ${lane} · ${TIER_LABELS[c.tier]}${label ? ` · \`${label}\`` : ''} is back with you.\n${by} acknowledged the escalation (${ESCALATION_LABELS[e.reason]}) ${when}.`),
      section(`*Guidance*\n${guidance}`),
      context('Add a note on the case card when you have acted on it.'),
    ],
  };
}

/** The DM that carries a provider's added guidance to the owner or backup (a message, so it may hold the text). */
export function addedGuidanceDirectMessage(g: Guidance, e: Escalation, c: Case, ctx: Omit<EscalationPostContext, 'latestNote'>): SlackMessage {
  const lane = ctx.laneLabel ?? LANE_LABELS[c.lane];
  const label = patientLabel(c.patient, ctx.labelMode);
  const text = escapeMrkdwn(g.text).split('\n').map((line) => `>${line}`).join('\n');
  return {
    text: `More guidance on ${c.number} from <@${g.authorId}>.`,
    blocks: [
      section(`*${c.number}* · ${lane} · ${TIER_LABELS[c.tier]}${label ? ` · \`${label}\`` : ''}\n<@${g.authorId}> added guidance on the escalation (${ESCALATION_LABELS[e.reason]}) ${formatPracticeTime(g.addedAt, ctx.calendar)}.`),
      section(`*Guidance*\n${clip(text, 2_900)}`),
      context('Add a note on the case card when you have acted on it.'),
    ],
  };
}
