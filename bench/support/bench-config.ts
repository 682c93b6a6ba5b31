/**
 * The benchmark practice's settings: the environment the running app is started with,
 * and the same settings loaded in-process for figures that call services directly.
 */
import { loadConfig, type Config } from '../../src/config';
import { CHANNELS, SIGNING_SECRET } from '../../test/support/slack-payloads';
import { COORDINATOR_IDS, MANAGER_ID, PROVIDER_ID } from './practice-data';

/** A bearer token for the intake endpoint (24+ characters, as the config requires). */
export const INTAKE_TOKEN = 'bench-intake-token-0123456789abcdef';

/** CareBridge's environment for the benchmark practice; `overrides` adds DATABASE_URL, PORT, SLACK_API_URL. */
export function benchEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
    SLACK_COORDINATORS_CHANNEL: CHANNELS.coordinators,
    SLACK_PROVIDERS_CHANNEL: CHANNELS.providers,
    SLACK_MANAGERS_CHANNEL: CHANNELS.managers,
    COORDINATORS: COORDINATOR_IDS.join(','),
    PROVIDERS: PROVIDER_ID,
    MANAGERS: MANAGER_ID,
    PRACTICE_TIMEZONE: 'America/New_York',
    INTAKE_TOKEN,
    LOG_LEVEL: 'warn',
    ...overrides,
  };
}

/** The same settings as `benchEnv`, loaded as the app loads them, for in-process figures. */
export function benchConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig(benchEnv({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent', ...overrides }));
}
