import type { RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { noticeMessage } from '../../blocks/followup-messages';
import type { SlackMessage } from '../../blocks/kit';
import type { Actor } from '../../../domain/types';
import type { SlackContext } from '../../context';

/** What every `/followup` subcommand handler is given. */
export interface CommandArgs {
  ctx: SlackContext;
  command: SlashCommand;
  ack: (response?: { response_type: 'ephemeral'; text: string; blocks: SlackMessage['blocks'] }) => Promise<void>;
  respond: RespondFn;
  client: WebClient;
}

/**
 * Answers the command ephemerally in its acknowledgement: it reaches the user in
 * any channel or DM (no channel membership needed, unlike chat.postEphemeral).
 */
export async function answer(a: Pick<CommandArgs, 'ack'>, message: SlackMessage): Promise<void> {
  await a.ack({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
}

export const NO_ROLE = "CareBridge is for the practice's coordinators, providers and managers. Ask a manager to add you if you need access.";

/** The user's roles; null (after answering that CareBridge is not for them) when they hold none. */
export async function actorOrRefuse(a: CommandArgs): Promise<Actor | null> {
  const actor = await a.ctx.roles.actorFor(a.command.user_id);
  if (actor.roles.size > 0) return actor;
  await answer(a, noticeMessage(NO_ROLE));
  return null;
}
