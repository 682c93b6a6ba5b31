import { scriptModal } from '../../blocks/case-modals';
import type { SlackContext } from '../../context';
import { replyPrivately } from '../reply';
import { pressedOnCase, type ButtonArgs } from './case-button';

/** Script: the lane's outreach script (POLICY_FILE may edit it), read-only, for anyone on the care team. */
export function openScriptModal(ctx: SlackContext) {
  return async (args: ButtonArgs): Promise<void> => {
    const p = await pressedOnCase(ctx, args);
    if (!p) return;
    if (p.actor.roles.size === 0) return replyPrivately(args.client, p.where, "CareBridge is for the practice's coordinators, providers and managers.");
    const lane = ctx.policy.lanes[p.c.lane];
    await args.client.views.open({
      trigger_id: p.triggerId,
      view: scriptModal(p.c, { labelMode: ctx.config.PATIENT_LABEL, laneLabel: lane.label, script: lane.script }),
    });
  };
}
