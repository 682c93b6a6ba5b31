import type { App } from '@slack/bolt';
import type { SlackContext } from '../context';
import { registerActions } from './actions';
import { registerCommands } from './commands';
import { registerEvents } from './events';
import { registerShortcuts } from './shortcuts';
import { registerViews } from './views';

/** Registers every listener, grouped by surface. Events first: their dedupe is global middleware. */
export function registerListeners(app: App, ctx: SlackContext): void {
  registerEvents(app, ctx);
  registerCommands(app, ctx);
  registerShortcuts(app, ctx);
  registerActions(app, ctx);
  registerViews(app, ctx);
}
