import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context';
import { COMMAND } from '../../ids';
import { followupCommand } from './followup';

/** Slash commands. */
export function registerCommands(app: App, ctx: SlackContext): void {
  app.command(COMMAND, followupCommand(ctx));
}
