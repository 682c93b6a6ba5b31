/**
 * "View details": the only place CareBridge shows patient details (SPEC §6), as an
 * ephemeral message to one authorised user, after the service has audited the viewing.
 * The notification `text` stays PHI-free. Free text is clipped to a budget so a long
 * history never makes Slack reject the message (about 12,000 characters of text).
 */
import type { PracticeCalendar } from '../../domain/calendar';
import { ESCALATION_LABELS } from '../../domain/escalation';
import { earlierNoShowsText } from '../../domain/no-shows';
import { LANE_LABELS, TIER_LABELS } from '../../domain/policy';
import type { Case, Escalation, Guidance, Note } from '../../domain/types';
import { clip, escapeMrkdwn, formatPracticeDate, formatPracticeTime } from './format';
import { actions, button, context, divider, fields, header, section, SECTION_MAX, type KnownBlock, type SlackMessage } from './kit';
import {
  BARRIER_LABELS,
  CHECKLIST_LABELS,
  CONTACT_CHANNEL_LABELS,
  CONTACT_RESULT_LABELS,
  NOTE_STATUS_LABELS,
  RESPONSIBLE_PARTY_LABELS,
  UNDERSTANDING_LABELS,
  VISIT_TYPE_LABELS,
} from '../../domain/labels';

export interface CaseDetailsContext {
  calendar: PracticeCalendar;
  laneLabel?: string;
  /** EHR_LINK_TEMPLATE, e.g. `https://ehr.example/chart/{mrn}`; adds an "Open chart" button. */
  ehrLinkTemplate?: string;
  /** The case's notes, newest first; the message shows as many as fit. */
  notes: Note[];
  /** Escalations still awaiting acknowledgement (their text is note text, so only here). */
  openEscalations: Escalation[];
  /** Acknowledged escalations, newest first: the clinical guidance the owner was sent. */
  acknowledged?: Escalation[];
  /** missed_appointment: the patient's no-shows in the 12 months before this one. */
  earlierNoShows?: number | null;
  /** Guidance providers added after acknowledging, newest first. */
  guidance?: Guidance[];
}

/** Text budget of the whole message, below Slack's ~12,000-character ceiling. */
const TEXT_BUDGET = 10_000;
const DETAILS_MAX = 2_000;
const NOTES_SHOWN = 5;
/** Actions id of the chart link (a URL button still needs an action_id; nothing listens to it). */
export const OPEN_CHART_ACTION = 'case_open_chart';

export function caseDetailsMessage(c: Case, ctx: CaseDetailsContext): SlackMessage {
  const p = c.patient;
  const at = (d: Date) => formatPracticeTime(d, ctx.calendar);
  const facts = [
    `*Name*\n${escapeMrkdwn(p.name)}`,
    `*MRN*\n${escapeMrkdwn(p.mrn)}`,
    `*Phone*\n${p.phone ? escapeMrkdwn(p.phone) : '—'}`,
    `*Date of birth*\n${p.dob ? formatPracticeDate(p.dob) + ` (${p.dob})` : '—'}`,
  ];
  if (c.referringOffice) facts.push(`*Referring office*\n${escapeMrkdwn(c.referringOffice)}`);
  if (c.location) facts.push(`*Location*\n${escapeMrkdwn(c.location)}`);
  if (c.visitType) facts.push(`*Visit type*\n${VISIT_TYPE_LABELS[c.visitType]}`);
  if (c.appointmentAt) facts.push(`*Appointment*\n${at(c.appointmentAt)}`);
  if (c.nextAction) facts.push(`*Next promised action*\n${clip(escapeMrkdwn(c.nextAction), 600)}${c.nextActionDue ? ` (due ${formatPracticeDate(c.nextActionDue)})` : ''}`);
  if (c.closeReason) facts.push(`*Close reason*\n${clip(escapeMrkdwn(c.closeReason), 600)}`);

  const blocks: KnownBlock[] = [
    header(`${c.number} · ${ctx.laneLabel ?? LANE_LABELS[c.lane]} · ${TIER_LABELS[c.tier]}`),
    fields(facts),
    ...(typeof ctx.earlierNoShows === 'number' ? [context(`:calendar: ${earlierNoShowsText(ctx.earlierNoShows)} before this one`)] : []),
    section(`*Details*\n${c.details ? clip(escapeMrkdwn(c.details), DETAILS_MAX) : 'None recorded.'}`),
  ];
  if (ctx.ehrLinkTemplate) {
    const url = ctx.ehrLinkTemplate.replaceAll('{mrn}', encodeURIComponent(p.mrn));
    blocks.push(actions('case_details_links', [button({ text: 'Open chart', actionId: OPEN_CHART_ACTION, url })]));
  }
  let budget = TEXT_BUDGET - facts.join('').length - DETAILS_MAX - 400;
  for (const e of ctx.openEscalations.slice(0, 3)) {
    const text = clip(`*Open escalation: ${ESCALATION_LABELS[e.reason]}* (<@${e.raisedBy}>, ${at(e.raisedAt)})\n${escapeMrkdwn(e.text ?? '')}`, Math.min(SECTION_MAX, Math.max(200, budget)));
    blocks.push(section(text));
    budget -= text.length;
  }
  for (const e of (ctx.acknowledged ?? []).slice(0, 2)) {
    const when = e.acknowledgedAt ? at(e.acknowledgedAt) : '';
    const text = clip(`*Guidance from <@${e.acknowledgedBy}>* (${ESCALATION_LABELS[e.reason]}, ${when})\n${escapeMrkdwn(e.guidance ?? '')}`, Math.min(SECTION_MAX, Math.max(200, budget)));
    blocks.push(section(text));
    budget -= text.length;
  }
  for (const g of (ctx.guidance ?? []).slice(0, 3)) {
    const text = clip(`*Added guidance from <@${g.authorId}>* (${at(g.addedAt)})\n${escapeMrkdwn(g.text)}`, Math.min(SECTION_MAX, Math.max(200, budget)));
    blocks.push(section(text));
    budget -= text.length;
  }
  blocks.push(divider(), section(`*Recent notes* (${ctx.notes.length})`));
  let shown = 0;
  for (const n of ctx.notes.slice(0, NOTES_SHOWN)) {
    if (budget < 300) break;
    const text = clip(noteText(n, at), Math.min(SECTION_MAX, budget));
    blocks.push(section(text));
    budget -= text.length;
    shown += 1;
  }
  if (ctx.notes.length === 0) blocks.push(section('No notes yet.'));
  else if (shown < ctx.notes.length) blocks.push(context(`${ctx.notes.length - shown} earlier note${ctx.notes.length - shown === 1 ? '' : 's'} not shown here.`));
  blocks.push(context('Only you can see this. Your viewing is recorded in the audit trail.'));
  return { text: `Patient details for ${c.number} (only you can see this)`, blocks };
}

function noteText(n: Note, at: (d: Date) => string): string {
  const lines = [`*${at(n.createdAt)}* · <@${n.authorId}>`];
  if (n.contact) lines.push(`Contact: ${CONTACT_CHANNEL_LABELS[n.contact.channel]}, ${CONTACT_RESULT_LABELS[n.contact.result].toLowerCase()}`);
  lines.push(`Status: ${NOTE_STATUS_LABELS[n.status]} · Barrier: ${BARRIER_LABELS[n.barrier]} · Understanding: ${UNDERSTANDING_LABELS[n.understanding]}`);
  const party = `${RESPONSIBLE_PARTY_LABELS[n.responsibleParty]}${n.responsibleUserId ? ` <@${n.responsibleUserId}>` : ''}`;
  if (n.nextAction) lines.push(`Next: ${escapeMrkdwn(n.nextAction)}${n.targetDate ? ` (due ${formatPracticeDate(n.targetDate)}, ${party})` : ` (${party})`}`);
  if (n.checklist && n.checklist.length > 0) lines.push(`Checklist: ${n.checklist.map((k) => CHECKLIST_LABELS[k]).join(', ')}`);
  if (n.barrierText) lines.push(`Barrier: ${escapeMrkdwn(n.barrierText)}`);
  if (n.understandingText) lines.push(`Understanding: ${escapeMrkdwn(n.understandingText)}`);
  if (n.escalation) lines.push(`Escalated (${ESCALATION_LABELS[n.escalation.reason]}): ${escapeMrkdwn(n.escalation.text)}`);
  return lines.join('\n');
}
