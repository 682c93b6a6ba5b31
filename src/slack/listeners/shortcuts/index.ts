import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context';
import { SHORTCUTS } from '../../ids';
import { createFromMessage } from './create-from-message';

/** Global and message shortcuts. */
export function registerShortcuts(app: App, ctx: SlackContext): void {
  app.shortcut({ callback_id: SHORTCUTS.createFromMessage, type: 'message_action' }, createFromMessage(ctx));
}
