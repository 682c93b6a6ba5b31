import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context';
import { NEW_CASE, VIEWS } from '../../ids';
import { acknowledgeSubmission } from './acknowledge-submission';
import { guidanceSubmission } from './guidance-submission';
import { closeSubmission } from './close-submission';
import { escalateSubmission } from './escalate-submission';
import { newCaseSubmitted } from './new-case-submitted';
import { noteSubmission } from './note-submission';
import { reassignSubmission } from './reassign-submission';

/** Modal submissions. */
export function registerViews(app: App, ctx: SlackContext): void {
  app.view(NEW_CASE.view, newCaseSubmitted(ctx));
  app.view(VIEWS.note, noteSubmission(ctx));
  app.view(VIEWS.escalate, escalateSubmission(ctx));
  app.view(VIEWS.close, closeSubmission(ctx));
  app.view(VIEWS.reassign, reassignSubmission(ctx));
  app.view(VIEWS.acknowledge, acknowledgeSubmission(ctx));
  app.view(VIEWS.guidance, guidanceSubmission(ctx));
}
