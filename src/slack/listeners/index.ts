import type { App } from '@slack/bolt';
import type { SlackContext } from '../context';

/** Registers every listener, grouped by surface. */
export function registerListeners(app: App, ctx: SlackContext): void {
  void app;
  void ctx;
}
