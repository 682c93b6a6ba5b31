/**
 * Drives an app the way Slack does: signed `block_actions` (Claim) and `view_submission`
 * (structured note) requests to /slack/events, a fixed number in flight at once, each
 * timed from sending to the end of the HTTP response.
 */
import { addCalendarDays, practiceDate } from '../../src/domain/calendar';
import { defaultPolicy } from '../../src/domain/policy';
import { encodeModalRef } from '../../src/slack/blocks/metadata';
import { NO_ESCALATION } from '../../src/slack/blocks/note-modal';
import { ACTIONS, BLOCKS, VIEWS } from '../../src/slack/ids';
import { blockActionPayload, form, slackSignature, stateValues, viewSubmissionPayload } from '../../test/support/slack-payloads';
import { inFlight } from './in-flight';
import { Latencies } from './timing';

/** One interaction: a coordinator claims an open case, or its owner saves a note on it. */
export type Interaction = { kind: 'claim'; caseId: number; userId: string } | { kind: 'note'; caseId: number; userId: string };

/** Latencies and counts of one load run. */
export interface LoadResult {
  all: Latencies;
  claims: Latencies;
  notes: Latencies;
  /** Answers other than 200, or requests that failed outright. */
  errors: number;
  /** When (epoch ms) each Claim was pressed, by case id. */
  claimedAt: Map<number, number>;
  /** Requests sent (fewer than planned when the deadline stopped the run). */
  sent: number;
  wallMs: number;
}

let viewSeq = 0;

/** A note as a coordinator fills in the modal: reached by phone, on track, next step in a week. */
function noteValues(today: string): Record<string, Record<string, unknown>> {
  return stateValues({
    [BLOCKS.noteContactChannel]: form.select('phone'),
    [BLOCKS.noteContactResult]: form.select('reached'),
    [BLOCKS.noteStatus]: form.select('on_track'),
    [BLOCKS.noteBarrier]: form.select('none'),
    [BLOCKS.noteUnderstanding]: form.radio('understands'),
    [BLOCKS.noteNextAction]: form.text('Confirm the cardiology appointment with the patient'),
    [BLOCKS.noteResponsibleParty]: form.select('coordinator'),
    [BLOCKS.noteTargetDate]: form.date(addCalendarDays(today, 7)),
    [BLOCKS.noteEscalationReason]: form.select(NO_ESCALATION),
  });
}

/** The form-encoded body Slack posts for an interaction. */
export function interactionBody(i: Interaction, today: string): string {
  const payload =
    i.kind === 'claim'
      ? blockActionPayload({ userId: i.userId, actionId: ACTIONS.caseClaim, blockId: BLOCKS.cardActions, value: String(i.caseId) })
      : viewSubmissionPayload({ userId: i.userId, callbackId: VIEWS.note, values: noteValues(today), privateMetadata: encodeModalRef({ caseId: i.caseId }), viewId: `V0BENCH${++viewSeq}` });
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * Sends the interactions with `concurrency` in flight, signing each as it goes (Bolt
 * rejects a timestamp five minutes old). Stops taking new ones after `deadlineMs`.
 */
export async function runInteractions(appUrl: string, interactions: readonly Interaction[], options: { concurrency: number; deadlineMs?: number }): Promise<LoadResult> {
  const today = practiceDate(defaultPolicy().calendar, new Date());
  const result: LoadResult = { all: new Latencies(), claims: new Latencies(), notes: new Latencies(), claimedAt: new Map(), errors: 0, sent: 0, wallMs: 0 };
  const started = performance.now();
  result.sent = await inFlight(
    interactions,
    options.concurrency,
    async (interaction) => {
      const body = interactionBody(interaction, today);
      const timestamp = Math.floor(Date.now() / 1000);
      const start = performance.now();
      if (interaction.kind === 'claim') result.claimedAt.set(interaction.caseId, Date.now());
      try {
        const res = await fetch(`${appUrl}/slack/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(body, timestamp) },
          body,
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        // A note answered with field errors would be a 200 that saved nothing: count it as an error.
        if (res.status !== 200 || text.includes('"response_action":"errors"')) result.errors += 1;
      } catch {
        result.errors += 1;
      }
      const ms = performance.now() - start;
      result.all.record(ms);
      (interaction.kind === 'claim' ? result.claims : result.notes).record(ms);
    },
    options.deadlineMs,
  );
  result.wallMs = performance.now() - started;
  return result;
}

/** Claims and notes alternating, as a busy morning mixes them. */
export function interleave(claims: readonly Interaction[], notes: readonly Interaction[]): Interaction[] {
  const out: Interaction[] = [];
  for (let i = 0; i < Math.max(claims.length, notes.length); i++) {
    if (claims[i]) out.push(claims[i]!);
    if (notes[i]) out.push(notes[i]!);
  }
  return out;
}
