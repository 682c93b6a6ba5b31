import type { SlackCall } from './slack';

/** Patient identifiers that must never reach a channel post, notification text, modal or Home view (SPEC §6). */
export interface PatientIdentifiers {
  name: string;
  mrn: string;
  phone?: string | null;
  dob?: string | null;
}

const CHAT_METHODS = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'chat.scheduleMessage']);
const VIEW_METHODS = new Set(['views.open', 'views.update', 'views.push', 'views.publish']);

/**
 * Every place a recorded Web API call leaks a patient identifier where SPEC §6 allows
 * none: the notification `text` of any message; the blocks of any message to a
 * channel (C…/G…; ephemeral details and DMs may carry them); any modal or Home view.
 * Returns one line per leak, so a test can show them all.
 */
export function phiLeaks(calls: readonly SlackCall[], patients: readonly PatientIdentifiers[]): string[] {
  const leaks: string[] = [];
  for (const [i, call] of calls.entries()) {
    const where = `call ${i} ${call.method} ${String(call.body.channel ?? '')}`;
    const scanned: [string, string][] = [];
    if (CHAT_METHODS.has(call.method)) {
      scanned.push(['text', String(call.body.text ?? '')]);
      const channel = String(call.body.channel ?? '');
      if (call.method !== 'chat.postEphemeral' && /^[CG]/.test(channel)) scanned.push(['blocks', JSON.stringify(call.body.blocks ?? [])]);
    }
    if (VIEW_METHODS.has(call.method)) scanned.push(['view', JSON.stringify(call.body.view ?? {})]);
    for (const [part, content] of scanned) {
      for (const p of patients) {
        for (const [field, value] of identifiers(p)) {
          if (content.toLowerCase().includes(value.toLowerCase())) leaks.push(`${where}: ${part} contains the patient's ${field}`);
        }
      }
    }
  }
  return leaks;
}

/** How many calls the scan looked at: a scan of nothing proves nothing. */
export function scannedCalls(calls: readonly SlackCall[]): { channelPosts: number; views: number; texts: number } {
  return {
    channelPosts: calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && /^[CG]/.test(String(c.body.channel ?? ''))).length,
    views: calls.filter((c) => VIEW_METHODS.has(c.method)).length,
    texts: calls.filter((c) => CHAT_METHODS.has(c.method)).length,
  };
}

function identifiers(p: PatientIdentifiers): [string, string][] {
  const out: [string, string][] = [['name', p.name], ['MRN', p.mrn]];
  // Each part of a name on its own identifies too ("Hopper").
  for (const part of p.name.split(/[\s,]+/).filter((x) => x.length >= 3)) out.push(['name', part]);
  if (p.phone) {
    out.push(['phone', p.phone]);
    out.push(['phone', p.phone.replace(/\D/g, '')]);
  }
  if (p.dob) out.push(['date of birth', p.dob]);
  return out;
}
