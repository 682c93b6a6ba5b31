import type { App } from '@slack/bolt';
import type { SlackContext } from '../context';
import { registerActions } from './actions';
import { registerCommands } from './commands';
import { registerEvents } from './events';
import { registerShortcuts } from './shortcuts';
import { registerViews } from './views';
import { replayGuard } from './replay-guard';

/** Registers every listener, grouped by surface. The replay guard, then events: both are global middleware. */
export function registerListeners(app: App, ctx: SlackContext): void {
  app.use(replayGuard(ctx));
  registerEvents(app, ctx);
  registerCommands(app, ctx);
  registerShortcuts(app, ctx);
  registerActions(app, ctx);
  registerViews(app, ctx);
}
