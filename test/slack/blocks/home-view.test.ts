import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../src/domain/policy';
import type { Case } from '../../../src/domain/types';
import { homeData, homeView, noRoleHomeView, HOME_LIST_MAX } from '../../../src/slack/blocks/home-view';
import { HOME } from '../../../src/slack/ids';
import { expectViewWithinLimits } from '../../support/block-limits';
import { buildActor, buildCase, buildClaimedCase } from '../../support/case-builder';

const policy = defaultPolicy();
/** Tuesday 2025-03-04 10:00 New York. */
const NOW = new Date('2025-03-04T15:00:00Z');
const ME = 'U0COORD01';
const coordinator = buildActor(ME, 'coordinator');
const manager = buildActor('U0MGR0001', 'manager');

type Block = { type: string; block_id?: string; text?: { text: string }; elements?: { text: string }[] };
const texts = (blocks: Block[]) => blocks.map((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text)].join(' ')).join('\n');
const render = (actor = coordinator, cases: Case[] = []) =>
  homeView({ policy, labelMode: 'initials_mrn4', now: NOW, actor, data: homeData(policy, actor, cases, NOW), coordinatorsChannel: 'C0COORD01' });

/** `n` cases: every third mine, every third unclaimed, the rest someone else's; long patient names. */
function manyCases(n: number): Case[] {
  return Array.from({ length: n }, (_, i) => {
    const patient = { mrn: `MRN${String(i).padStart(8, '0')}`, name: `Patient ${'Verylongname'.repeat(5)} ${i}`, phone: '555-0100', dob: '1960-01-01' };
    const due = new Date(NOW.getTime() + (i - n / 2) * 3600_000);
    if (i % 3 === 0) return buildClaimedCase({ id: i + 1, number: `FU-${1001 + i}`, ownerId: ME, patient, firstResponseDueAt: due });
    if (i % 3 === 1) return buildCase({ id: i + 1, number: `FU-${1001 + i}`, patient, firstResponseDueAt: due, lane: i % 2 ? 'referral' : 'discharge' });
    return buildClaimedCase({ id: i + 1, number: `FU-${1001 + i}`, ownerId: 'U0COORD02', patient, firstResponseDueAt: due });
  });
}

describe('homeData', () => {
  it('sorts my cases, unclaimed and overdue by due time; overdue is mine and unclaimed for a coordinator, all for a manager', () => {
    const cases = [
      buildClaimedCase({ id: 1, ownerId: ME, firstResponseDueAt: new Date('2025-03-05T14:00:00Z') }),
      buildClaimedCase({ id: 2, ownerId: 'U0OTHER', backupId: ME, firstResponseDueAt: new Date('2025-03-04T14:00:00Z') }),
      buildCase({ id: 3, firstResponseDueAt: new Date('2025-03-03T20:00:00Z') }),
      buildClaimedCase({ id: 4, ownerId: 'U0OTHER', backupId: 'U0OTHER2', firstResponseDueAt: new Date('2025-03-03T20:00:00Z') }),
      buildClaimedCase({ id: 5, ownerId: ME, state: 'closed' }),
    ];
    const mine = homeData(policy, coordinator, cases, NOW);
    expect(mine.mine.map((c) => c.id)).toEqual([2, 1]);
    expect(mine.unclaimed.map((c) => c.id)).toEqual([3]);
    expect(mine.overdue.map((c) => c.id)).toEqual([3, 2]);
    expect(mine.figures).toBeNull();
    const managers = homeData(policy, manager, cases, NOW);
    expect(managers.overdue.map((c) => c.id)).toEqual([3, 4, 2]);
    expect(managers.figures!.find((f) => f.lane === 'referral')).toEqual({ lane: 'referral', open: 4, unclaimed: 1, dueToday: 0, overdue: 3 });
  });
});

describe('homeView', () => {
  it('shows a coordinator the three lists with the patient label only, and no queue figures', () => {
    const view = render(coordinator, [buildClaimedCase({ id: 7, number: 'FU-1007', ownerId: ME })]);
    const blocks = view.blocks as Block[];
    expect(view.type).toBe('home');
    expect(blocks.map((b) => b.block_id).filter(Boolean)).toEqual(expect.arrayContaining([HOME.header, `${HOME.mine}_0`, `${HOME.unclaimed}_empty`, `${HOME.overdue}_0`]));
    expect(blocks.some((b) => b.block_id === HOME.queueFigures)).toBe(false);
    const all = texts(blocks);
    expect(all).toContain('My cases (1)');
    expect(all).toContain('*FU-1007* · AL ·3456 · Referral follow-up · High · Active · first response due Tue Mar 4, 9:00 AM');
    expect(all).toContain('Every open case has an owner.');
    expect(JSON.stringify(view)).not.toMatch(/Ada|Lovelace|MRN00123456|555-0100|1960-12-10/);
    expectViewWithinLimits(view);
  });

  it('shows a manager live per-lane figures and an all-lanes total', () => {
    const view = render(manager, [buildCase({ id: 1 }), buildCase({ id: 2, lane: 'discharge' })]);
    const figures = (view.blocks as Block[]).find((b) => b.block_id === HOME.queueFigures)!.text!.text;
    expect(figures).toContain('*Referral follow-up* — open 1 · unclaimed 1 · due today 0 · overdue 1');
    expect(figures).toContain('*Discharge outreach* — open 1 · unclaimed 1 · due today 0 · overdue 1');
    expect(figures).toContain('*Monitoring engagement (RPM / CCM)* — open 0');
    expect(figures).toContain('*All lanes* — open 2 · unclaimed 2 · due today 0 · overdue 2');
  });

  it.each([500, 5000])('stays within 100 blocks and Slack limits with %i cases, summarising the rest', (n) => {
    const cases = manyCases(n);
    for (const actor of [coordinator, manager]) {
      const view = render(actor, cases);
      expectViewWithinLimits(view);
      expect(view.blocks.length).toBeLessThanOrEqual(100);
      const all = texts(view.blocks as Block[]);
      const mine = cases.filter((c) => c.ownerId === ME).length;
      if (actor === coordinator) expect(all).toContain(`and ${mine - HOME_LIST_MAX} more — the ones due soonest are shown`);
      expect(all).toMatch(/Unclaimed \(\d+\)/);
      expect(JSON.stringify(view)).not.toContain('Verylongname');
    }
  });

  it('shows a provider that nothing waits for them, and someone with no role that CareBridge is not for them', () => {
    const actor = buildActor('U0PROV001', 'provider');
    const view = homeView({ policy, labelMode: 'initials_mrn4', now: NOW, actor, data: homeData(policy, actor, [], NOW), coordinatorsChannel: 'C0COORD01', provider: { pending: [], pendingTotal: 0, acknowledged: [] } });
    expect(texts(view.blocks as Block[])).toContain('Nothing is waiting for the clinical team.');
    expect(texts(noRoleHomeView().blocks as Block[])).toContain("CareBridge is for the practice's coordinators, providers and managers");
  });
});
