import { vi } from 'vitest';
import type { SlackCall } from './slack';

export { form, stateValues } from './slack-payloads';

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
