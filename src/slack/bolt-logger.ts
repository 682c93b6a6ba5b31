import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../logger';
import { isDatabaseError, scrubDatabaseError } from '../db-errors';

/**
 * Where a line from Bolt or the Web API client starts quoting a payload: JSON, a quoted
 * string, or a labelled body/result/headers/details. At debug level these SDKs log whole
 * request and response bodies (View details, modals prefilled with a message, notes).
 */
const PAYLOAD = /\b(?:body|result|headers|details|payload|data|message)\b\s*[:=]\s*|[{["]/i;

/** An SDK line with any payload it quotes withheld; the line's gist stays (`http request body: [withheld]`). */
export function withoutPayload(text: string): string {
  const match = PAYLOAD.exec(text);
  if (!match) return text;
  const keep = /^[{["]$/.test(match[0]) ? match.index : match.index + match[0].length;
  return `${text.slice(0, keep).trimEnd()}${keep > 0 ? ' ' : ''}[withheld]`;
}

function describe(part: unknown): string {
  if (part instanceof Error) {
    if (isDatabaseError(part)) scrubDatabaseError(part);
    return `${part.name}: ${part.message}`;
  }
  return withoutPayload(String(part));
}

/**
 * Bolt's logger interface over CareBridge's structured logger. The SDKs' lines are free
 * text that can quote Slack payloads, so every one passes `withoutPayload` at every level;
 * errors keep their name and (database-scrubbed) message.
 */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  const line = (msg: unknown[]) => msg.map(describe).join(' ');
  return {
    debug: (...msg: unknown[]) => child.debug(line(msg)),
    info: (...msg: unknown[]) => child.info(line(msg)),
    warn: (...msg: unknown[]) => child.warn(line(msg)),
    error: (...msg: unknown[]) => child.error(line(msg)),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}
