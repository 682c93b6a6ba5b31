/** The managers-channel post: the figures a manager needs, no patient data, and always within Block Kit limits. */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WeeklyMetrics } from '../../src/domain/metrics';
import type { KnownBlock } from '../../src/slack/blocks/kit';
import { textLength } from '../../src/slack/blocks/message-budget';
import { weeklyReportMessage } from '../../src/slack/blocks/weekly-report';
import { fortnightMetrics, mapNumbers } from './fortnight-metrics';

type AnyBlock = KnownBlock & { text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] };

/** Slack's limits (SLACK-FACTS §1) and CareBridge's own rule: never NaN, undefined or Infinity in a message. */
function expectWithinLimits(msg: { text: string; blocks: KnownBlock[] }): void {
  expect(msg.blocks.length).toBeLessThanOrEqual(50);
  let total = msg.text.length;
  for (const block of msg.blocks as AnyBlock[]) {
    if (block.type === 'header') expect(block.text!.text.length).toBeLessThanOrEqual(150);
    if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
    if (block.type === 'section' && block.fields) {
      expect(block.fields.length).toBeLessThanOrEqual(10);
      for (const f of block.fields) expect(f.text.length).toBeLessThanOrEqual(2000);
    }
    if (block.type === 'context') expect(block.elements!.length).toBeLessThanOrEqual(10);
    total += textLength(block);
  }
  expect(total).toBeLessThan(12_000);
  expect(JSON.stringify(msg)).not.toMatch(/NaN|undefined|Infinity/);
}

const texts = (msg: { blocks: KnownBlock[] }) =>
  (msg.blocks as AnyBlock[]).flatMap((b) => [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text), ...(b.elements ?? []).map((e) => e.text)]).join('\n');

describe('weeklyReportMessage', () => {
  let w48: WeeklyMetrics;
  let w47: WeeklyMetrics;

  beforeAll(async () => {
    ({ w48, w47 } = await fortnightMetrics());
  }, 60_000);

  it('leads with the week and the headline figures, with arrows from last week', () => {
    const msg = weeklyReportMessage(w48, w47);
    expect((msg.blocks[0] as AnyBlock).text!.text).toBe('Weekly follow-up report · 2026-W48');
    const all = texts(msg);
    expect(all).toContain('Mon Nov 23 – Sun Nov 29, 2026 · America/New_York · compared with 2026-W47');
    expect(all).toContain('*First response (median · p90)*\n3.0 h · 5.0 h  ▼ 7.0 h');
    expect(all).toContain('*Within response window*\n63% (5 of 8)  ▲ 63 pts');
    expect(all).toContain('*Referral conversion*\n67% (2 of 3)  ▲ 67 pts');
    expect(all).toContain('*No-show recovery*\n50% (1 of 2)'); // no W47 closes: no arrow
    expect(all).toContain('*Post-visit on time*\n33% (1 of 3)');
    expect(all).toContain('*Unresolved at week end (all · overdue · no movement 7d)*\n7 · 4 · 3  ▲ 1');
    expect(msg.text).toBe('Weekly follow-up report 2026-W48: first response 3.0 h median (▼ 7.0 h), 63% within window, 7 unresolved (4 overdue).');
    expectWithinLimits(msg);
  });

  it('lists the top barriers with their change, the age buckets, and one line per lane', () => {
    const all = texts(weeklyReportMessage(w48, w47));
    expect(all).toContain('1. Transportation — 2  ▲ 2\n2. Phone tag — 2  ▲ 2\n3. Confusion — 1  = 0\n4. Work schedule — 1  = 0');
    expect(all).toContain('0–2 days: 1 · 3–7 days: 2 · 8–14 days: 2 · 15–30 days: 1 · over 30 days: 1');
    // The seed's questions: referrals waiting on the patient, post-visit follow-ups overdue.
    expect(all).toContain('*Referral follow-up*: first response 3.0 h median, 67% in window · contact 33% · completed 67% · on time 0% · 3 unresolved (1 waiting on patient, 2 overdue)');
    expect(all).toContain('*Post-visit next steps*: first response 1.0 h median, 100% in window · contact 100% · completed 100% · on time 33% · 2 unresolved (0 waiting on patient, 1 overdue)');
    expect(all).toContain('*Discharge outreach*: first response 5.0 h median, 0% in window · contact 100% · completed — ·');
    expect(all).toContain('*Prior authorization status*: no activity');
  });

  it('carries no patient data', () => {
    const json = JSON.stringify(weeklyReportMessage(w48, w47));
    for (const phi of ['Ada Patient', 'MRN00012345', '555-010-2000', '1950-02-03', 'Cardiology referral', 'Main Street']) expect(json).not.toContain(phi);
  });

  it('shows no arrows without a previous week', () => {
    const msg = weeklyReportMessage(w48, null);
    expect(texts(msg)).not.toMatch(/[▲▼]|compared with/);
    expect(msg.text).toContain('first response 3.0 h median,');
    expectWithinLimits(msg);
  });

  it('shows "—" for an empty week, not 0 % or NaN', () => {
    const empty = mapNumbers(w48, () => 0);
    const msg = weeklyReportMessage(empty, empty);
    expect(texts(msg)).toContain('*Contact rate*\n0%'); // a real 0 / 0 is still reported as computed …
    const nulls = mapNumbers(w48, (n, path) => (/(rate|mean|median|p90)$/.test(path) ? Number.NaN : n));
    expect(texts(weeklyReportMessage(nulls, null))).toContain('*Contact rate*\n— (4 of 9)'); // … and a non-number as "—"
    expectWithinLimits(weeklyReportMessage(nulls, null));
  });

  it('stays within limits whatever the figures and lane labels', () => {
    const weird = fc.oneof(
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, 0, 1e15, 1e300, -1e300, Number.MAX_SAFE_INTEGER),
      fc.double(),
    );
    fc.assert(
      fc.property(fc.array(weird, { minLength: 1, maxLength: 20 }), fc.string({ maxLength: 3000 }), (values, label) => {
        let i = 0;
        const m = mapNumbers(w48, () => values[i++ % values.length]!, `${label}<&>*_~\`${'x'.repeat(label.length)}`);
        const p = mapNumbers(w47, () => values[i++ % values.length]!);
        expectWithinLimits(weeklyReportMessage(m, p));
      }),
      { numRuns: 150 },
    );
  });
});
