import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../clock';
import { isDatabaseFailure, type DatabaseHealth } from '../database-health';
import type { Logger } from '../logger';
import type { CaseService } from '../services/case-service';
import { bearerTokenCheck } from './bearer-token';
import { closeAfterDiscarding, isJsonContentType, parseJson, readBody } from './http-body';
import { intakeBatch, intakeEvent, isBatch } from './intake-events';

/** Largest request body accepted (SPEC §10). */
export const MAX_INTAKE_BYTES = 64 * 1024;

/** The handler's collaborators, wired by the composition root. */
export interface IntakeHandlerDeps {
  cases: CaseService;
  clock: Clock;
  /** `INTAKE_TOKEN`; unset turns the endpoint off (404). */
  intakeToken: string | undefined;
  logger: Logger;
  /** Where a failing database is reported (logged once per outage). */
  databaseHealth?: DatabaseHealth;
}

/** What a sender is told to wait before trying again while the database is failing. */
export const RETRY_AFTER_SECONDS = 30;

/**
 * The plain Node handler of `POST /intake/events` (SPEC §10, docs/intake.md): bearer
 * token, a JSON body of one trigger event or `{ events: [...] }`, each becoming a case.
 * It never throws; anything unexpected is a 500 that names no patient field.
 */
export function createIntakeHandler(deps: IntakeHandlerDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const tokenMatches = deps.intakeToken ? bearerTokenCheck(deps.intakeToken) : null;
  const log = deps.logger.child({ component: 'intake' });

  return async (req, res) => {
    try {
      if (!tokenMatches) return send(res, 404, { error: 'Not found: intake is off (INTAKE_TOKEN is not set).' });
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        return send(res, 405, { error: 'Use POST.' });
      }
      if (!tokenMatches(req.headers.authorization)) {
        log.warn({ status: 401 }, 'intake refused: missing or wrong bearer token');
        res.setHeader('WWW-Authenticate', 'Bearer realm="carebridge-intake"');
        return send(res, 401, { error: 'Missing or wrong bearer token (Authorization: Bearer <INTAKE_TOKEN>).' });
      }
      if (!isJsonContentType(req.headers['content-type'])) {
        return send(res, 415, { error: 'Content-Type must be application/json (UTF-8).' });
      }
      const read = await readBody(req, MAX_INTAKE_BYTES);
      if (read.kind === 'aborted') return;
      if (read.kind === 'too_large') {
        // The rest of the body is thrown away, not parsed, so the connection cannot be reused.
        res.setHeader('Connection', 'close');
        send(res, 413, { error: `The body is over ${MAX_INTAKE_BYTES / 1024} KiB; send fewer events per request.` });
        return closeAfterDiscarding(req);
      }
      const json = parseJson(read.body);
      if (!json.ok) return send(res, 400, { errors: { body: 'must be valid UTF-8 JSON' } });

      const answer = isBatch(json.value) ? await intakeBatch(deps, json.value.events) : await intakeEvent(deps, json.value);
      if (answer.status === 201) deps.databaseHealth?.recordSuccess();
      log.info({ status: answer.status, ...answer.log }, answer.message);
      return send(res, answer.status, answer.body);
    } catch (error) {
      if (isDatabaseFailure(error)) {
        // Nothing was saved: the sender keeps the events and sends them again (externalId makes that safe).
        deps.databaseHealth?.recordFailure(error, 'intake');
        if (res.headersSent) return;
        res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
        return send(res, 503, { error: `CareBridge's database is unavailable; none of the events were saved. Send them again in ${RETRY_AFTER_SECONDS} seconds.` });
      }
      // Errors can quote the values they choke on; log only what kind of error it was.
      const { name, code } = error as { name?: string; code?: string };
      log.error({ errorName: name, errorCode: code }, 'intake failed');
      if (!res.headersSent) send(res, 500, { error: 'CareBridge could not take the events in and saved none of them; try again.' });
    }
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}
