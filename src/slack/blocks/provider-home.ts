/**
 * A provider's part of App Home: the escalations waiting for the clinical team (urgent
 * first, newest first), each with Acknowledge, and the ones this provider acknowledged
 * in the last 7 days. Case number, lane, tier, reason, patient label and times only:
 * the escalation's text and guidance stay behind View details (SPEC §6).
 */
import type { PatientLabelMode } from '../../domain/types';
import { ESCALATION_LABELS, describeWait } from '../../domain/escalation';
import type { Policy } from '../../domain/policy';
import { TIER_LABELS } from '../../domain/policy';
import type { Case, Escalation } from '../../domain/types';
import { ACTIONS, HOME } from '../ids';
import { escapeMrkdwn, formatPracticeTime } from './format';
import { button, context, divider, header, section, type KnownBlock } from './kit';
import { patientLabel } from './patient-label';

export interface ProviderHomeData {
  pending: { escalation: Escalation; c: Case }[];
  pendingTotal: number;
  acknowledged: { escalation: Escalation; c: Case }[];
}

/** Pending escalations listed with a button each (a block apiece: well under Home's 100). */
export const PROVIDER_PENDING_MAX = 20;
/** How far back "acknowledged by you" reaches. */
export const ACKNOWLEDGED_DAYS = 7;

export function providerHomeBlocks(data: ProviderHomeData, ctx: { policy: Policy; labelMode: PatientLabelMode; now: Date }): KnownBlock[] {
  const line = ({ escalation: e, c }: { escalation: Escalation; c: Case }) => {
    const label = patientLabel(c.patient, ctx.labelMode);
    return [
      `${e.urgent ? ':rotating_light: *Urgent* · ' : ''}*${c.number}* · ${escapeMrkdwn(ctx.policy.lanes[c.lane].label)} · ${TIER_LABELS[c.tier]}`,
      label ? `\`${label}\`` : null,
      ESCALATION_LABELS[e.reason],
    ].filter(Boolean).join(' · ');
  };
  const blocks: KnownBlock[] = [divider(), header(`Escalations waiting (${data.pendingTotal})`)];
  if (data.pending.length === 0) blocks.push({ ...context('Nothing is waiting for the clinical team.'), block_id: HOME.providerPending } as KnownBlock);
  for (const [i, item] of data.pending.slice(0, PROVIDER_PENDING_MAX).entries()) {
    blocks.push({
      ...section(`${line(item)}\nRaised ${describeWait(item.escalation.raisedAt.getTime(), ctx.now.getTime())} ago`),
      block_id: `${HOME.providerPending}_${i}`,
      accessory: button({ text: 'Acknowledge', actionId: ACTIONS.escalationAcknowledge, value: String(item.escalation.id), style: 'primary' }),
    } as KnownBlock);
  }
  const more = data.pendingTotal - Math.min(data.pending.length, PROVIDER_PENDING_MAX);
  if (more > 0) blocks.push(context(`…and ${more} more, oldest last; they are all in the providers channel.`));
  blocks.push(divider(), header(`Acknowledged by you, last ${ACKNOWLEDGED_DAYS} days (${data.acknowledged.length})`));
  const acknowledged = data.acknowledged.map((item) => `• ${line(item)} · ${formatPracticeTime(item.escalation.acknowledgedAt!, ctx.policy.calendar)}`);
  blocks.push({ ...(acknowledged.length ? section(acknowledged.join('\n')) : context('None.')), block_id: HOME.providerAcknowledged } as KnownBlock);
  return blocks;
}
