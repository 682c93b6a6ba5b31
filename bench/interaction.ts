/**
 * Figure 1: interaction latency. 2,000 Claim presses and 2,000 note submissions, signed
 * as Slack signs them, through CareBridge's real HTTP receiver (`carebridge start`, its
 * own process, a practice of 10,000 open cases, Slack's Web API answered by a local
 * stub) at 20 in flight; p50 and p99 time to the HTTP response, against a bare Bolt app
 * that only acknowledges, under the same load. Slack's answers take 150 ms, as they do
 * for real; after the load, how long the outbox takes to bring every card and Home up to
 * date (what a coordinator waits for before a claimed card shows its owner).
 */
import { practiceDate } from '../src/domain/calendar';
import { defaultPolicy } from '../src/domain/policy';
import { CONCURRENCY, interactionsOf, loadApp, loadBareApp } from './support/app-under-load';
import { tempSqlite, withDatabase } from './support/databases';
import type { BenchFigure } from './support/figure';
import { markPeriodicJobsDone } from './support/job-history';
import { seedOpenQueue } from './support/open-queue';
import { savedInteractions } from './support/saved-check';
import { deliveryCatchUp } from './support/delivery-catch-up';
import { describeCalls, startSlackStub } from './support/slack-stub';
import { count } from './support/count';
import { Latencies } from './support/timing';

const RATIO_GOAL = 1.5;
const P99_GOAL_MS = 100;
/** Slack's Web API answers in about this long. */
const SLACK_LATENCY_MS = 150;
/** Every card and Home current this soon after the load ends. */
const CATCH_UP_GOAL_S = 10;
/** A claimed card shows its owner this soon after the press ("within seconds, even on a busy Monday"). */
const CARD_GOAL_S = 5;
/** Stop watching the outbox after this long. */
const CATCH_UP_CAP_MS = 120_000;

/** Figure 1: Claim and note latency through the real HTTP receiver. */
export const interactionFigure: BenchFigure = {
  id: 'interaction',
  title: 'Interaction latency',
  async run(ctx) {
    const open = ctx.size(10_000);
    const each = ctx.size(2_000);
    const warmup = ctx.quick ? 20 : 100;
    return withDatabase(await tempSqlite('interaction'), async (db) => {
      const now = new Date();
      ctx.progress(`interactions: seeding ${count(open)} open cases`);
      const queue = await seedOpenQueue(db, 'sqlite', { open, now: now.getTime(), today: practiceDate(defaultPolicy().calendar, now), toClaim: each + warmup, toNote: each + warmup });
      await markPeriodicJobsDone(db, now);
      const { warmup: warm, measured } = interactionsOf(queue, warmup);
      const stub = await startSlackStub({ latencyMs: SLACK_LATENCY_MS });
      try {
        ctx.progress(`interactions: bare Bolt app, ${count(measured.length)} requests`);
        const bare = await loadBareApp({ stub, warmup: warm, measured });
        stub.calls.clear();
        stub.firstUpdates.clear();
        ctx.progress(`interactions: CareBridge, ${count(measured.length)} requests`);
        let catchUp = { seconds: 0, pending: 0, waiting: 0 };
        const afterLoad = async () => {
          const loadEndedAt = Date.now();
          const saved = await savedInteractions(db, queue);
          catchUp = await deliveryCatchUp(db, loadEndedAt, CATCH_UP_CAP_MS);
          return saved;
        };
        const app = await loadApp('carebridge', { databaseUrl: db.url, stub, warmup: warm, measured, afterLoad });
        const p99 = app.load.all.percentile(99);
        const floor = bare.load.all.percentile(99);
        const errors = app.load.errors + bare.load.errors;
        const cardShown = claimToCard(app.load.claimedAt, stub.firstUpdates);
        return [
          {
            name: `Interaction p99, ${count(measured.length)} requests at c=${CONCURRENCY}, ${count(open)} open [sqlite]`,
            value: p99,
            unit: 'ms',
            floor,
            floorName: 'bare Bolt app that only acks',
            goal: `ratio ≤ ${RATIO_GOAL} and p99 < ${P99_GOAL_MS} ms`,
            pass: p99 / floor <= RATIO_GOAL && p99 < P99_GOAL_MS && errors === 0,
            note:
              `p50 ${app.load.all.percentile(50).toFixed(1)} ms (floor ${bare.load.all.percentile(50).toFixed(1)} ms); ` +
              `claim p99 ${app.load.claims.percentile(99).toFixed(1)} ms, note p99 ${app.load.notes.percentile(99).toFixed(1)} ms; ` +
              `${app.checked}; ${errors} errors; Web API: ${describeCalls(stub.calls)}`,
          },
          {
            name: `A claimed card shows its owner, p99 from the press, during that load [sqlite]`,
            value: cardShown.latencies.percentile(99),
            unit: 'ms',
            floor: null,
            goal: `p99 < ${CARD_GOAL_S} s`,
            pass: cardShown.missing === 0 && cardShown.latencies.percentile(99) < CARD_GOAL_S * 1000,
            note: `p50 ${(cardShown.latencies.percentile(50) / 1000).toFixed(1)} s, max ${(cardShown.latencies.percentile(100) / 1000).toFixed(1)} s over ${count(cardShown.latencies.count)} claims` + (cardShown.missing ? `; ${count(cardShown.missing)} cards never updated` : ''),
          },
          {
            name: `Delivery caught up after that load, Slack answering in ${SLACK_LATENCY_MS} ms [sqlite]`,
            value: catchUp.seconds * 1000,
            unit: 'ms',
            floor: null,
            goal: `every card and Home current < ${CATCH_UP_GOAL_S} s after the load`,
            pass: catchUp.pending === 0 && catchUp.seconds < CATCH_UP_GOAL_S,
            note: catchUp.pending === 0 ? `${count(catchUp.waiting)} messages waiting when the load ended, all delivered` : `${count(catchUp.pending)} of the ${count(catchUp.waiting)} messages waiting when the load ended still waiting at ${CATCH_UP_CAP_MS / 1000} s`,
          },
        ];
      } finally {
        await stub.close();
      }
    });
  },
};

/** The seeded card of a case (bench/support/open-queue.ts gives each case's card this ts). */
function seededCardTs(caseId: number): string {
  return `1700000000.${String(caseId).padStart(6, '0')}`;
}

/** From each Claim press to the first update of that case's card in Slack. */
function claimToCard(claimedAt: Map<number, number>, firstUpdates: Map<string, number>): { latencies: Latencies; missing: number } {
  const latencies = new Latencies();
  let missing = 0;
  for (const [caseId, at] of claimedAt) {
    const shown = firstUpdates.get(seededCardTs(caseId));
    if (shown === undefined) missing += 1;
    else latencies.record(shown - at);
  }
  return { latencies, missing };
}
