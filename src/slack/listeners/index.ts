import type { App } from '@slack/bolt';
import type { SlackContext } from '../context';
import { registerActions } from './actions';
import { registerCommands } from './commands';
import { registerEvents } from './events';
import { registerShortcuts } from './shortcuts';
import { registerViews } from './views';
import { databaseGuarded } from './database-guard';
import { replayGuard } from './replay-guard';

/**
 * Registers every listener, grouped by surface, each guarded against a failing database
 * (listeners/database-guard.ts). The replay guard, then events: both are global middleware.
 */
export function registerListeners(bolt: App, ctx: SlackContext): void {
  bolt.use(replayGuard(ctx));
  const app = databaseGuarded(bolt, ctx);
  registerEvents(app, ctx);
  registerCommands(app, ctx);
  registerShortcuts(app, ctx);
  registerActions(app, ctx);
  registerViews(app, ctx);
}
