import type { DatabaseHealth } from './database-health';
import { databaseFailureCode } from './database-health';
import type { SlackHealth, HealthReport } from './slack/health';
import type { Route } from './slack/app';
import type { Database } from './store/db';
import type { Stores } from './services/ports';

/** `/healthz` answers within this long whatever the database does (a load balancer's probe must not hang). */
export const HEALTH_DEADLINE_MS = 1_000;

/**
 * `GET /healthz`: 200 when the database accepts a write (a heartbeat row) and Slack
 * delivery works, else 503 naming which side fails. A database that does not answer
 * within a second counts as failing.
 */
export function healthRoute(deps: { db: Database; stores: Stores; health: SlackHealth; databaseHealth?: DatabaseHealth }): Route {
  return {
    path: '/healthz',
    methods: ['GET'],
    handler: async (_req, res) => {
      const report: HealthReport = { status: 'ok', database: { ok: true }, slack: { ...deps.health.snapshot() } };
      try {
        report.slack.pendingDeliveries = await withinDeadline(
          (async () => {
            await deps.stores.heartbeat.beat(new Date());
            return deps.stores.outbox.pendingCount();
          })(),
        );
        deps.databaseHealth?.recordSuccess();
      } catch (error) {
        const code = error instanceof DeadlineExceeded ? `no answer within ${HEALTH_DEADLINE_MS / 1000} s` : databaseFailureCode(error);
        report.database = { ok: false, error: code };
        if (!(error instanceof DeadlineExceeded)) deps.databaseHealth?.recordFailure(error, 'health check');
      }
      if (!report.database.ok || !report.slack.ok) report.status = 'failing';
      res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(report));
    },
  };
}

class DeadlineExceeded extends Error {}

function withinDeadline<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded()), HEALTH_DEADLINE_MS);
  });
  // The work may still fail after the deadline: that late failure is expected, not unhandled.
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
