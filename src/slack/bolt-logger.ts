import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../logger';

/** Bolt's logger interface over CareBridge's structured logger. */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  return {
    debug: (...msg: unknown[]) => child.debug(msg.map(String).join(' ')),
    info: (...msg: unknown[]) => child.info(msg.map(String).join(' ')),
    warn: (...msg: unknown[]) => child.warn(msg.map(String).join(' ')),
    error: (...msg: unknown[]) => child.error(msg.map((m) => (m instanceof Error ? `${m.name}: ${m.message}` : String(m))).join(' ')),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}
