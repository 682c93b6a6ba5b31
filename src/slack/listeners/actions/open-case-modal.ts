import type { Case } from '../../../domain/types';
import type { ModalView } from '../../blocks/kit';
import type { SlackContext } from '../../context';
import { replyPrivately } from '../reply';
import { pressedOnCase, type ButtonArgs, type Pressed } from './case-button';
import { precheck, type ModalKind } from './precheck';

/**
 * A button that opens a case modal (note, escalate, close, reassign): refused
 * privately, before anything opens, when the user may not do that to this case now;
 * otherwise the modal opens with the press's trigger_id, which Slack honours for 3 s.
 */
export function openCaseModal(ctx: SlackContext, kind: Exclude<ModalKind, 'acknowledge'>, build: (c: Case, p: Pressed) => ModalView | Promise<ModalView>) {
  return async (args: ButtonArgs): Promise<void> => {
    const p = await pressedOnCase(ctx, args);
    if (!p) return;
    // Closing is refused while escalations wait: name them before a form is filled in.
    const pending = kind === 'close' ? await ctx.cases.pendingEscalations(p.c.id) : [];
    const refusal = precheck(kind, p.c, p.actor, ctx.clock.now(), { pendingEscalations: pending, postedIn: ctx.cases.postedIn });
    if (refusal) return replyPrivately(args.client, p.where, refusal.message);
    await args.client.views.open({ trigger_id: p.triggerId, view: await build(p.c, p) });
  };
}
