import type { SlackHealth, HealthReport } from './health';
import type { Route } from './slack/app';
import type { Database } from './store/db';
import type { Stores } from './store/stores';

/** `GET /healthz`: 200 when the database answers and Slack delivery works, else 503. */
export function healthRoute(deps: { db: Database; stores: Stores; health: SlackHealth }): Route {
  return {
    path: '/healthz',
    methods: ['GET'],
    handler: async (_req, res) => {
      const report: HealthReport = { status: 'ok', database: { ok: true }, slack: { ...deps.health.snapshot() } };
      try {
        await deps.db.knex.raw('select 1');
        report.slack.pendingDeliveries = await deps.stores.outbox.pendingCount();
      } catch (error) {
        report.database = { ok: false, error: (error as { code?: string }).code ?? 'database unavailable' };
      }
      if (!report.database.ok || !report.slack.ok) report.status = 'failing';
      res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(report));
    },
  };
}
