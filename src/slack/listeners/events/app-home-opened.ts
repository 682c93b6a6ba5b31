import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackContext } from '../../context';
import { publishHome } from '../../home-publisher';

/** Publishes the user's App Home when they open its Home tab (not the Messages tab). */
export function appHomeOpened(ctx: SlackContext) {
  return async ({ event, client }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    try {
      await publishHome(ctx, client, event.user);
    } catch (error) {
      // Home is republished the next time it is opened or a case of theirs changes.
      ctx.logger.warn({ err: (error as { code?: string; message?: string }).code ?? (error as Error).message }, 'could not publish App Home');
    }
  };
}
