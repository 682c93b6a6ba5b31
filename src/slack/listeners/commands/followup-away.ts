import { awayMessage, noticeMessage } from '../../blocks/followup-messages';
import { USAGE } from '../../blocks/followup-messages';
import { actorOrRefuse, answer, type CommandArgs } from './answer';

/** Which argument each setAway field error is about. */
const ARGUMENT: Record<string, string> = { from: 'from (first day)', to: 'to (last day)' };

/** `/followup away <from> <to>`: routes the user's reminders and alerts to each case's backup. */
export async function followupAway(a: CommandArgs, from: string, to: string): Promise<void> {
  const actor = await actorOrRefuse(a);
  if (!actor) return;
  const result = await a.ctx.cases.setAway(actor, from, to);
  if (result.ok) return answer(a, awayMessage(from, to));
  const problems = Object.entries(result.errors ?? {}).map(([field, message]) => `${ARGUMENT[field] ?? field}: ${message}`);
  const text = problems.length > 0 ? `${result.message} ${problems.join('; ')}. Usage: \`${USAGE.away}\`` : result.message;
  await answer(a, noticeMessage(text));
}
