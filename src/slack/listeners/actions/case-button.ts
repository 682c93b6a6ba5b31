import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Actor, Case } from '../../../domain/types';
import { parseId } from '../../blocks/metadata';
import type { SlackContext } from '../../context';
import { replyPrivately, type Where } from '../reply';

/** What Bolt gives a button listener. */
export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** A button press on a case, read and checked: who pressed, the case, where to answer. */
export interface Pressed {
  actor: Actor;
  c: Case;
  where: Where;
  triggerId: string;
}

/** Where to answer the user who pressed a button. */
export function whereOf(args: ButtonArgs): Where {
  return { userId: args.body.user.id, channelId: args.body.channel?.id ?? null };
}

/**
 * Acknowledges the press at once (Slack waits 3 s at most), then reads the actor's
 * roles and the case the button names (its value is the case id). A case that no
 * longer exists is answered privately and yields null.
 */
export async function pressedOnCase(ctx: SlackContext, args: ButtonArgs): Promise<Pressed | null> {
  await args.ack();
  const where = whereOf(args);
  const caseId = parseId(args.action.value);
  const [actor, c] = await Promise.all([ctx.roles.actorFor(where.userId), caseId === null ? null : ctx.cases.getCase(caseId)]);
  if (!c) {
    await replyPrivately(args.client, where, 'That case does not exist any more.');
    return null;
  }
  return { actor, c, where, triggerId: args.body.trigger_id };
}
