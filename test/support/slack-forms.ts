import { vi } from 'vitest';
import type { SlackCall } from './slack';

/** view.state.values entries as Slack sends them, keyed by block id (CareBridge uses it as action id too). */
export const form = {
  select: (value: string | null) => ({ type: 'static_select', selected_option: value === null ? null : { text: { type: 'plain_text', text: value }, value } }),
  radio: (value: string | null) => ({ type: 'radio_buttons', selected_option: value === null ? null : { text: { type: 'plain_text', text: value }, value } }),
  text: (value: string | null) => ({ type: 'plain_text_input', value }),
  date: (value: string | null) => ({ type: 'datepicker', selected_date: value }),
  user: (value: string | null) => ({ type: 'users_select', selected_user: value }),
  checks: (values: string[]) => ({ type: 'checkboxes', selected_options: values.map((value) => ({ text: { type: 'plain_text', text: value }, value })) }),
};

/** Builds `state.values` from `{ blockId: entry }`. */
export function stateValues(entries: Record<string, object>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(entries).map(([blockId, entry]) => [blockId, { [blockId]: entry }]));
}

/**
 * Waits until a recorded call matches (listeners ack first and act afterwards, so
 * their Web API calls land shortly after the HTTP response).
 */
export async function waitForCall(calls: readonly SlackCall[], match: (c: SlackCall) => boolean, what = 'the expected Slack call'): Promise<SlackCall> {
  return vi.waitFor(
    () => {
      const found = calls.find(match);
      if (!found) throw new Error(`still waiting for ${what}; calls so far: ${calls.map((c) => c.method).join(', ') || 'none'}`);
      return found;
    },
    { timeout: 5_000, interval: 20 },
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
