/**
 * Figure 4: the daily digest and a manager's and a coordinator's App Home built for
 * 1,000, 10,000 and 100,000 open cases, through the very code that delivers them (the Web
 * API call is captured, not sent), against one SQL pass counting the open cases per lane;
 * each output checked against Slack's Block Kit limits. Both read bounded SQL (counters,
 * indexed ranges, LIMIT), so the times should stay flat as the queue grows.
 */
import type { WebClient } from '@slack/web-api';
import { FixedClock } from '../src/clock';
import { practiceDate } from '../src/domain/calendar';
import { defaultPolicy } from '../src/domain/policy';
import { computeDigest } from '../src/services/digest-service';
import { createServices } from '../src/services/services';
import { silentLogger } from '../src/logger';
import type { DeliveryContext } from '../src/slack/context';
import { dailyDigestDeliverer } from '../src/slack/delivery/job-deliverers';
import { publishHome } from '../src/slack/home-publisher';
import { RoleResolver } from '../src/slack/roles';
import { createStores } from '../src/store/stores';
import { messageProblems, viewProblems } from '../test/support/block-limit-problems';
import { benchConfig } from './support/bench-config';
import { tempSqlite, withDatabase } from './support/databases';
import type { BenchFigure, FigureResult } from './support/figure';
import { seedOpenQueue } from './support/open-queue';
import { COORDINATOR_IDS, MANAGER_ID, PROVIDER_ID } from './support/practice-data';
import { count } from './support/count';
import { medianTime } from './support/timing';

const NOW = new Date('2026-11-25T10:00:00-05:00');
const GOAL_MS = 50;

type Captured = Record<string, unknown>;

/** A Web API client that keeps what would have been sent (the figure is the build, not the network). */
function capturingClient(): { client: WebClient; last: () => Captured } {
  let sent: Captured = {};
  const keep = async (args: Captured) => {
    sent = args;
    return { ok: true, ts: '1700000000.000100', channel: String(args.channel ?? '') };
  };
  return { client: { chat: { postMessage: keep }, views: { publish: keep } } as unknown as WebClient, last: () => sent };
}

/** The queue sizes measured: Home and the digest should grow flat or logarithmically with them. */
const SIZES = [1_000, 10_000, 100_000];

/** Figure 4: the daily digest and App Home over 1,000, 10,000 and 100,000 open cases. */
export const surfacesFigure: BenchFigure = {
  id: 'surfaces',
  title: 'Digest and Home tab',
  async run(ctx) {
    const results: FigureResult[] = [];
    const first: Record<string, number> = {};
    for (const full of SIZES) {
      const measured = await measureAt(ctx, ctx.size(full));
      for (const r of measured) {
        // Growth against the smallest queue: flat or logarithmic, not linear in the queue.
        const what = r.name.replace(/,.*/, '');
        if (first[what] === undefined) first[what] = r.value;
        else r.note = `${r.note}; ${(r.value / first[what]!).toFixed(1)}× the ${count(ctx.size(SIZES[0]!))}-case time`;
        results.push(r);
      }
    }
    return results;
  },
};

/** The digest, a manager's Home and a coordinator's Home over `open` open cases, each timed and checked. */
async function measureAt(ctx: Parameters<BenchFigure['run']>[0], open: number): Promise<FigureResult[]> {
  const policy = defaultPolicy();
  const config = benchConfig();
  const clock = new FixedClock(NOW);
  return withDatabase(await tempSqlite('surfaces'), async (db) => {
    ctx.progress(`digest and Home: seeding ${count(open)} open cases`);
    // Some newly breached and many long overdue, so the digest's and Home's overdue lists overflow.
    await seedOpenQueue(db, 'sqlite', { open, now: NOW.getTime(), today: practiceDate(policy.calendar, NOW), breaching: Math.round(open / 50), alerted: Math.round(open / 20) });
    const stores = createStores(db.knex, policy.calendar);
    const { client, last } = capturingClient();
    const roles = new RoleResolver({ coordinators: COORDINATOR_IDS, providers: [PROVIDER_ID], managers: [MANAGER_ID] }, client, clock, silentLogger);
    const services = createServices(stores, clock, policy);
    const delivery: DeliveryContext = { config, policy, clock, logger: silentLogger, ...services, roles };
    const deliverDigest = dailyDigestDeliverer(delivery);

    const floor = await medianTime(() => db.knex('cases').whereRaw(`state <> 'closed'`).groupBy('lane').select('lane').count({ n: '*' }), { runs: 10, warmup: 2 });
    const digestMs = await medianTime(
      async () => {
        const digest = await computeDigest(stores, policy, NOW);
        // Through the outbox as the job leaves it: a JSON payload.
        const date = practiceDate(policy.calendar, NOW);
        const item = { id: 1, kind: 'daily_digest', ref: date, payload: JSON.parse(JSON.stringify(digest)), attempts: 0, createdAt: NOW, uncertain: false };
        await deliverDigest({ kind: 'daily_digest', date, digest: item.payload }, item, client);
      },
      { runs: 10, warmup: 2 },
    );
    const digest = last();
    const homeFor = (userId: string) => () => publishHome({ config, policy, clock, reads: services.reads, roles }, client, userId);
    const coordinatorMs = await medianTime(homeFor(COORDINATOR_IDS[0]!), { runs: 10, warmup: 2 });
    const coordinatorHome = last().view as Captured;
    const homeMs = await medianTime(homeFor(MANAGER_ID), { runs: 10, warmup: 2 });
    const home = last().view as Captured;

    const within = (problems: string[]) => (problems.length === 0 ? 'within Block Kit limits' : `OVER LIMITS: ${problems.slice(0, 3).join('; ')}`);
    const blocks = (x: Captured) => (x.blocks as unknown[] | undefined)?.length ?? 0;
    const line = (name: string, ms: number, problems: string[], output: Captured): FigureResult => ({
      name: `${name}, ${count(open)} open cases [sqlite]`,
      value: ms,
      unit: 'ms',
      floor,
      floorName: 'one pass counting open cases per lane',
      goal: `< ${GOAL_MS} ms, flat or logarithmic in the queue, within Block Kit limits`,
      pass: ms < GOAL_MS && problems.length === 0,
      note: `${blocks(output)} blocks, ${within(problems)}`,
    });
    return [
      line('Daily digest build', digestMs, messageProblems(digest as { text?: string; blocks?: unknown[] }), digest),
      line('Home tab build (manager)', homeMs, viewProblems(home), home),
      line('Home tab build (coordinator)', coordinatorMs, viewProblems(coordinatorHome), coordinatorHome),
    ];
  });
}
