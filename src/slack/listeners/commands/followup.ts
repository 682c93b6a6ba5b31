import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { helpMessage, noticeMessage } from '../../blocks/followup-messages';
import { parseFollowup, type FollowupCommand } from '../../command-parser';
import type { SlackContext } from '../../context';
import { answer, type CommandArgs } from './answer';
import { followupAway } from './followup-away';
import { followupCase } from './followup-case';
import { followupMine, followupQueue } from './followup-lists';
import { followupNew } from './followup-new';
import { followupReport } from './followup-report';

export const UNAVAILABLE = 'CareBridge could not answer just now. Please try again in a minute.';

/**
 * `/followup <subcommand>`: parses the text and hands over to the subcommand. Every
 * answer is ephemeral, given in the command's own acknowledgement when it is quick.
 */
export function followupCommand(ctx: SlackContext) {
  const laneLabels = Object.fromEntries(Object.values(ctx.policy.lanes).map((l) => [l.key, l.label]));
  return async (args: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    let acked = false;
    const ack: CommandArgs['ack'] = async (response) => {
      acked = true;
      await args.ack(response);
    };
    const a: CommandArgs = { ctx, command: args.command, ack, respond: args.respond, client: args.client };
    try {
      await run(a, parseFollowup(args.command.text ?? '', laneLabels));
    } catch (error) {
      // The database or Slack failing must not leave the user with Slack's bare "failed" notice.
      ctx.logger.error({ err: (error as Error).message, user: args.command.user_id }, '/followup failed');
      if (!acked) await answer(a, noticeMessage(UNAVAILABLE));
    }
  };
}

function run(a: CommandArgs, parsed: FollowupCommand): Promise<void> {
  switch (parsed.kind) {
    case 'help':
      return answer(a, helpMessage());
    case 'unknown': {
      const word = parsed.input.split(/\s+/)[0]!.slice(0, 30).replace(/[`<>&*_~]/g, '');
      return answer(a, helpMessage(`\`/followup\` has no subcommand \`${word}\`.`));
    }
    case 'invalid':
      return answer(a, noticeMessage(parsed.message));
    case 'new':
      return followupNew(a);
    case 'mine':
      return followupMine(a);
    case 'queue':
      return followupQueue(a, parsed.lane);
    case 'case':
      return followupCase(a, parsed.caseId);
    case 'away':
      return followupAway(a, parsed.from, parsed.to);
    case 'report':
      return followupReport(a, parsed.week);
  }
}
