import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context';
import { appHomeOpened } from './app-home-opened';
import { eventDedupe } from './event-dedupe';

/** Events API listeners, behind the event_id dedupe (registered first, as global middleware). */
export function registerEvents(app: App, ctx: SlackContext): void {
  app.use(eventDedupe(ctx));
  app.event('app_home_opened', appHomeOpened(ctx));
}
