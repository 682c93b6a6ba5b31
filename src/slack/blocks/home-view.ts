/**
 * App Home: my cases by due time, unclaimed cases, overdue cases and, for managers,
 * live per-lane queue figures. At most 100 blocks whatever the queue size (each list
 * is capped and summarised), and no patient field beyond the patient label (SPEC §6).
 */
import type { types } from '@slack/bolt';
import type { PatientLabelMode } from '../../domain/types';
import type { Policy } from '../../domain/policy';
import { byDue, laneFigures, queueMoment, type LaneQueueCounts, type QueueRow } from '../../domain/queue';
import type { Actor, Case } from '../../domain/types';
import { HOME } from '../ids';
import type { StaleList } from '../../domain/digest';
import { caseListBlocks } from './case-list';
import { providerHomeBlocks, type ProviderHomeData } from './provider-home';
import { staleHeading, staleLines } from './stale-list';
import { escapeMrkdwn, formatPracticeTime } from './format';
import { context, divider, header, section, type KnownBlock } from './kit';

/**
 * Entries per list on Home: more than `/followup mine` lists (which points here), and
 * three lists of 50 lines pack into about a dozen sections, far below 100 blocks.
 */
export const HOME_LIST_MAX = 50;

export interface HomeData<T extends QueueRow = Case> {
  /** Cases the user owns or backs up, by due time (possibly only the first HOME_LIST_MAX). */
  mine: T[];
  /** Unclaimed cases in the user's lanes, by due time. */
  unclaimed: T[];
  /** Overdue cases the user should see (theirs and unclaimed; every case for managers), by due time. */
  overdue: T[];
  /** How many cases each list holds in all (the lists above may be cut to what Home shows). */
  counts: { mine: number; unclaimed: number; overdue: number };
  /** Per-lane figures, for managers only. */
  figures: LaneQueueCounts[] | null;
}

/**
 * Sorts the open (not closed) cases into what one user's Home shows. Every lane counts
 * as the user's lane: the policy assigns no lanes to people.
 */
export function homeData<T extends QueueRow>(policy: Policy, actor: Actor, openCases: readonly T[], now: Date): HomeData<T> {
  const cal = policy.calendar;
  const live = byDue(cal, openCases.filter((c) => c.state !== 'closed'));
  const manager = actor.roles.has('manager');
  const involves = (c: T) => c.ownerId === actor.userId || c.backupId === actor.userId;
  const mine = live.filter(involves);
  const unclaimed = live.filter((c) => c.ownerId === null);
  const moment = queueMoment(cal, now);
  const overdue = live.filter((c) => moment.isOverdue(c) && (manager || involves(c) || c.ownerId === null));
  return {
    mine,
    unclaimed,
    overdue,
    counts: { mine: mine.length, unclaimed: unclaimed.length, overdue: overdue.length },
    figures: manager ? laneFigures(cal, live, now) : null,
  };
}

export interface HomeViewInput {
  policy: Policy;
  labelMode: PatientLabelMode;
  now: Date;
  actor: Actor;
  data: HomeData;
  coordinatorsChannel: string;
  /** Managers: the cases longest without movement. */
  stale?: StaleList | null;
  /** Providers: the escalations waiting for them and those they acknowledged lately. */
  provider?: ProviderHomeData | null;
}

/** Stale cases listed on a manager's Home. */
export const HOME_STALE_MAX = 10;

/** The Home tab view for one user. */
export function homeView(input: HomeViewInput): types.HomeView {
  const { policy, labelMode, now, actor, data } = input;
  const line = { policy, labelMode, now };
  const moreHint = 'the ones due soonest are shown; `/followup queue <lane>` lists one lane';
  const blocks: KnownBlock[] = [
    { ...header('CareBridge follow-up'), block_id: HOME.header } as KnownBlock,
    context(`Updated ${formatPracticeTime(now, policy.calendar)} · case cards and their buttons are in <#${input.coordinatorsChannel}> · \`/followup help\``),
  ];
  if (data.figures) blocks.push(divider(), header('Queue by lane'), { ...section(figuresText(policy, data.figures)), block_id: HOME.queueFigures } as KnownBlock);
  if (input.stale) {
    const lines = staleLines(input.stale, policy);
    blocks.push(divider(), header(staleHeading(input.stale)), { ...(lines ? section(lines) : context('Every open case moved recently.')), block_id: HOME.stale } as KnownBlock);
  }
  if (actor.roles.has('coordinator') || actor.roles.has('manager')) {
    blocks.push(
      divider(),
      header(`My cases (${data.counts.mine})`),
      ...caseListBlocks({ ...line, blockId: HOME.mine, cases: data.mine, total: data.counts.mine, max: HOME_LIST_MAX, empty: 'You own or back up no open case.', moreHint: 'the ones due soonest are shown' }),
      divider(),
      header(`Unclaimed (${data.counts.unclaimed})`),
      ...caseListBlocks({ ...line, blockId: HOME.unclaimed, cases: data.unclaimed, total: data.counts.unclaimed, max: HOME_LIST_MAX, empty: 'Every open case has an owner.', moreHint }),
      divider(),
      header(`Overdue (${data.counts.overdue})`),
      ...caseListBlocks({ ...line, showOwner: true, blockId: HOME.overdue, cases: data.overdue, total: data.counts.overdue, max: HOME_LIST_MAX, empty: 'Nothing is overdue.', moreHint }),
    );
  }
  if (input.provider) blocks.push(...providerHomeBlocks(input.provider, line));
  return { type: 'home', blocks: blocks.slice(0, 100) };
}

/** The Home of someone who holds no CareBridge role. */
export function noRoleHomeView(): types.HomeView {
  return {
    type: 'home',
    blocks: [
      { ...header('CareBridge follow-up'), block_id: HOME.header } as KnownBlock,
      section("CareBridge is for the practice's coordinators, providers and managers. Ask a manager to add you if you need access."),
    ],
  };
}

function figuresText(policy: Policy, figures: readonly LaneQueueCounts[]): string {
  const lines = figures.map(
    (f) => `*${escapeMrkdwn(policy.lanes[f.lane].label)}* — open ${f.open} · unclaimed ${f.unclaimed} · due today ${f.dueToday} · overdue ${f.overdue}`,
  );
  const total = figures.reduce((t, f) => ({ open: t.open + f.open, unclaimed: t.unclaimed + f.unclaimed, dueToday: t.dueToday + f.dueToday, overdue: t.overdue + f.overdue }), {
    open: 0,
    unclaimed: 0,
    dueToday: 0,
    overdue: 0,
  });
  lines.push(`*All lanes* — open ${total.open} · unclaimed ${total.unclaimed} · due today ${total.dueToday} · overdue ${total.overdue}`);
  return lines.join('\n');
}
