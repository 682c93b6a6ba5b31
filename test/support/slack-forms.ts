import { vi } from 'vitest';
import type { SlackCall } from './slack';

import { BLOCKS } from '../../src/slack/ids';
import { form, stateValues } from './slack-payloads';

export { form, stateValues };

/**
 * The note modal's state as Slack sends it: a failed phone call by default; pass a
 * contact result, or any input to override.
 */
export function noteForm(over: { result?: string; nextAction?: string; targetDate?: string } & Record<string, unknown> = {}) {
  const { result = 'no_answer', nextAction = 'Call again tomorrow', targetDate = '2026-11-26', ...inputs } = over;
  return stateValues({
    [BLOCKS.noteContactChannel]: form.select('phone'),
    [BLOCKS.noteContactResult]: form.select(result),
    [BLOCKS.noteStatus]: form.select('waiting_on_patient'),
    [BLOCKS.noteBarrier]: form.select('phone_tag'),
    [BLOCKS.noteBarrierText]: form.text(null),
    [BLOCKS.noteUnderstanding]: form.radio(result === 'reached' ? 'understands' : 'not_reached'),
    [BLOCKS.noteUnderstandingText]: form.text(null),
    [BLOCKS.noteNextAction]: form.text(nextAction),
    [BLOCKS.noteResponsibleParty]: form.select('coordinator'),
    [BLOCKS.noteResponsibleUser]: form.user(null),
    [BLOCKS.noteTargetDate]: form.date(targetDate),
    [BLOCKS.noteEscalationReason]: form.select('none'),
    [BLOCKS.noteEscalationText]: form.text(null),
    ...(inputs as Record<string, object>),
  });
}

/**
 * Waits until a recorded call matches (listeners ack first and act afterwards, so
 * their Web API calls land shortly after the HTTP response).
 */
export async function waitForCall(calls: readonly SlackCall[], match: (c: SlackCall) => boolean, what = 'the expected Slack call', timeoutMs = 5_000): Promise<SlackCall> {
  return vi.waitFor(
    () => {
      const found = calls.find(match);
      if (!found) throw new Error(`still waiting for ${what}; calls so far: ${calls.map((c) => c.method).join(', ') || 'none'}`);
      return found;
    },
    { timeout: timeoutMs, interval: 20 },
  );
}

/** Waits until `check` stops throwing (a database change made after the ack). */
export function eventually<T>(check: () => T | Promise<T>): Promise<T> {
  return vi.waitFor(check, { timeout: 5_000, interval: 20 });
}

/** The action_ids of every button in a message's or view's blocks. */
export function buttonIds(blocks: unknown): string[] {
  const out: string[] = [];
  for (const b of (blocks as { type: string; elements?: { type: string; action_id?: string }[]; accessory?: { type: string; action_id?: string } }[]) ?? []) {
    for (const el of [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])]) if (el.type === 'button' && el.action_id) out.push(el.action_id);
  }
  return out;
}
