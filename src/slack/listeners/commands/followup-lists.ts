import { byDue } from '../../../domain/queue';
import type { LaneKey } from '../../../domain/types';
import { caseListMessage } from '../../blocks/followup-messages';
import { actorOrRefuse, answer, type CommandArgs } from './answer';


/** `/followup mine`: the cases the user owns or backs up, by due time. */
export async function followupMine(a: CommandArgs): Promise<void> {
  const actor = await actorOrRefuse(a);
  if (!actor) return;
  const { ctx } = a;
  const cases = await ctx.reads.casesInvolving(actor.userId);
  await answer(
    a,
    caseListMessage({
      title: 'Your cases',
      cases: byDue(ctx.policy.calendar, cases),
      empty: 'You own or back up no open case. `/followup queue` shows the unclaimed ones.',
      policy: ctx.policy,
      labelMode: ctx.config.PATIENT_LABEL,
      now: ctx.clock.now(),
    }),
  );
}

/** `/followup queue [lane]`: the open cases of every lane, or of one, by due time, with their owners. */
export async function followupQueue(a: CommandArgs, lane: LaneKey | null): Promise<void> {
  const actor = await actorOrRefuse(a);
  if (!actor) return;
  const { ctx } = a;
  const cases = await ctx.reads.openQueue(lane ?? null);
  await answer(
    a,
    caseListMessage({
      title: lane ? `Queue: ${ctx.policy.lanes[lane].label}` : 'Queue: all lanes',
      cases: byDue(ctx.policy.calendar, cases),
      empty: lane ? 'No open case in this lane.' : 'No open case.',
      policy: ctx.policy,
      labelMode: ctx.config.PATIENT_LABEL,
      now: ctx.clock.now(),
      showOwner: true,
    }),
  );
}
