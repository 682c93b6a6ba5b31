import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { helpMessage, noticeMessage } from '../../blocks/followup-messages';
import { parseFollowup } from '../../command-parser';
import type { SlackContext } from '../../context';
import { followupAway } from './followup-away';
import { followupCase } from './followup-case';
import { followupMine, followupQueue } from './followup-lists';
import { followupNew } from './followup-new';
import { followupReport } from './followup-report';
import { answer, type CommandArgs } from './answer';

/**
 * `/followup <subcommand>`: parses the text and hands over to the subcommand. Every
 * answer is ephemeral, given in the command's own acknowledgement when it is quick.
 */
export function followupCommand(ctx: SlackContext) {
  const laneLabels = Object.fromEntries(Object.values(ctx.policy.lanes).map((l) => [l.key, l.label]));
  return async (args: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const a: CommandArgs = { ctx, command: args.command, ack: args.ack, respond: args.respond, client: args.client };
    const parsed = parseFollowup(args.command.text ?? '', laneLabels);
    switch (parsed.kind) {
      case 'help':
        return answer(a, helpMessage());
      case 'unknown':
        return answer(a, helpMessage(`\`/followup\` has no subcommand \`${parsed.input.split(/\s+/)[0]!.slice(0, 30).replace(/[`<>&*_~]/g, '')}\`.`));
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
  };
}
