import type { Clock } from '../clock';
import { validateTriggerEvent, type TriggerEvent } from '../domain/trigger-event';
import type { FieldErrors } from '../domain/types';
import type { CaseService } from '../services/case-service';

/** Most events one batch request may carry. */
export const MAX_BATCH_EVENTS = 500;

/** An intake answer before it becomes HTTP: status, JSON body, and what is safe to log. */
export interface IntakeAnswer {
  status: number;
  body: unknown;
  /** Case ids, numbers, counts and field names only: never a patient field. */
  log: Record<string, unknown>;
  message: string;
}

/** One answer per event of a batch, in the order they were sent. */
export interface BatchResult {
  index: number;
  status: 'created' | 'duplicate' | 'rejected';
  caseId?: number;
  number?: string;
  errors?: FieldErrors;
}

/** What intake needs: the case service to open cases, and the clock `occurredAt` is checked against. */
export interface IntakeDeps {
  cases: CaseService;
  clock: Clock;
}

/** A JSON object with an `events` key is a batch; anything else is one event. */
export function isBatch(body: unknown): body is { events: unknown } {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && Object.hasOwn(body, 'events');
}

/**
 * One trigger event: 201 for a new case, 200 for a repeated externalId, 400 with every
 * field error. Committed together with the events other requests sent meanwhile
 * (`openCaseWithOthers`); this request's answer is about its own event only.
 */
export async function intakeEvent(deps: IntakeDeps, raw: unknown): Promise<IntakeAnswer> {
  const checked = validateTriggerEvent(raw, { now: deps.clock.now(), requireExternalId: true });
  if (!checked.ok) {
    return { status: 400, body: { errors: checked.errors }, log: { fields: Object.keys(checked.errors) }, message: 'intake event rejected' };
  }
  const { case: c, created } = await deps.cases.openCaseWithOthers(checked.value);
  return {
    status: created ? 201 : 200,
    body: { caseId: c.id, number: c.number },
    log: { caseId: c.id, number: c.number, created },
    message: created ? 'case opened from intake' : 'intake event repeated',
  };
}

/**
 * A batch `{ events: [...] }`: each event is validated on its own and the valid ones
 * are opened together, so one bad event never holds back the others. Always 200 when
 * the envelope itself is sound; each result says what became of its event.
 */
export async function intakeBatch(deps: IntakeDeps, events: unknown): Promise<IntakeAnswer> {
  if (!Array.isArray(events) || events.length === 0 || events.length > MAX_BATCH_EVENTS) {
    const errors = { events: `must be an array of 1 to ${MAX_BATCH_EVENTS} trigger events` };
    return { status: 400, body: { errors }, log: { fields: ['events'] }, message: 'intake batch rejected' };
  }
  const now = deps.clock.now();
  const results: BatchResult[] = [];
  const valid: { index: number; event: TriggerEvent }[] = [];
  events.forEach((raw: unknown, index) => {
    const checked = validateTriggerEvent(raw, { now, requireExternalId: true });
    if (checked.ok) valid.push({ index, event: checked.value });
    else results[index] = { index, status: 'rejected', errors: checked.errors };
  });
  const opened = await deps.cases.openCases(valid.map((v) => v.event));
  valid.forEach(({ index }, i) => {
    const { case: c, created } = opened[i]!;
    results[index] = { index, status: created ? 'created' : 'duplicate', caseId: c.id, number: c.number };
  });
  const count = (status: BatchResult['status']) => results.filter((r) => r.status === status).length;
  const summary = { created: count('created'), duplicates: count('duplicate'), rejected: count('rejected') };
  return { status: 200, body: { ...summary, results }, log: { events: events.length, ...summary }, message: 'intake batch' };
}
