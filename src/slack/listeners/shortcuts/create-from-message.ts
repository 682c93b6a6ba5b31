import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { canAct } from '../../../domain/case';
import { newCaseModal } from '../../blocks/new-case-modal';
import type { SlackContext } from '../../context';
import { CREATE_REFUSED } from '../commands/followup-new';

const YEAR_MS = 365 * 24 * 3600_000;

/**
 * "Create follow-up from message": the new-case modal with the message's text as
 * the details and its time as when it happened. The text goes only into the input's
 * value, never into the title or private_metadata (SPEC §6).
 */
export function createFromMessage(ctx: SlackContext) {
  return async ({ shortcut, ack, client, respond }: SlackShortcutMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const s = shortcut as MessageShortcut;
    const actor = await ctx.roles.actorFor(s.user.id);
    if (!canAct(actor, 'create')) {
      await client.chat.postEphemeral({ channel: s.channel.id, user: s.user.id, text: CREATE_REFUSED }).catch(() =>
        // Not in that channel: the shortcut's response URL reaches the user anyway.
        respond({ response_type: 'ephemeral', text: CREATE_REFUSED }).catch(() => undefined),
      );
      return;
    }
    const now = ctx.clock.now();
    const postedAt = new Date(Number(s.message_ts ?? s.message.ts) * 1000);
    const recent = Number.isFinite(postedAt.getTime()) && postedAt <= now && now.getTime() - postedAt.getTime() < YEAR_MS;
    try {
      await client.views.open({
        trigger_id: s.trigger_id,
        view: newCaseModal({ policy: ctx.policy, values: { occurredAt: recent ? postedAt : now, details: s.message.text || null } }),
      });
    } catch (error) {
      ctx.logger.warn({ err: (error as { code?: string }).code ?? (error as Error).message }, 'could not open the new-case modal from a message');
    }
  };
}
