import { DEFAULT_DATABASE_TIMEOUTS } from './database-timeouts';
import { PATIENT_LABELS } from './domain/types';
import { z } from 'zod';

/**
 * CareBridge's settings, read once from the environment (SPEC §10). Every problem is
 * reported at once, each naming the variable and how to fix it; secret values are
 * never echoed back.
 */

const SLACK_USER_OR_GROUP = /^[UWS][A-Z0-9]{2,}$/;
const SLACK_CHANNEL = /^[CGD][A-Z0-9]{2,}$/;

function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const idList = (what: string) =>
  z
    .string({ error: `required: comma-separated Slack ${what} IDs (U…, W…) or user-group IDs (S…)` })
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(
      z
        .array(z.string().regex(SLACK_USER_OR_GROUP, { error: (i) => `"${String(i.input)}" is not a Slack user (U…, W…) or user-group (S…) ID` }))
        .min(1, { error: `list at least one Slack ${what} or user-group ID` }),
    );

const channel = z
  .string({ error: 'required: the channel ID (C…/G…), from the channel\'s "About" panel in Slack' })
  .regex(SLACK_CHANNEL, { error: 'must be a channel ID such as C0123456789 (not a #name)' });

/** A timeout setting: whole milliseconds from 100 ms to 10 minutes. */
const milliseconds = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a number of milliseconds from 100 to 600000' })
    .int({ error: 'must be a whole number of milliseconds from 100 to 600000' })
    .min(100, { error: 'must be a number of milliseconds from 100 to 600000' })
    .max(600_000, { error: 'must be a number of milliseconds from 100 to 600000' })
    .default(fallback);

const envSchema = z
  .object({
    SLACK_BOT_TOKEN: z
      .string({ error: 'required: the bot token (xoxb-…) from your Slack app\'s "OAuth & Permissions" page' })
      .startsWith('xoxb-', { error: 'must be a bot token starting with xoxb- ("OAuth & Permissions" page)' }),
    SLACK_SIGNING_SECRET: z.string().regex(/^[0-9a-f]{16,}$/i, { error: 'must be the hex signing secret from your Slack app\'s "Basic Information" page' }).optional(),
    SLACK_APP_TOKEN: z
      .string()
      .startsWith('xapp-', { error: 'must be an app-level token starting with xapp- ("Basic Information" → App-Level Tokens, scope connections:write), or unset for HTTP mode' })
      .optional(),
    SLACK_API_URL: z
      .url({ error: 'must be an http(s) URL such as https://slack.com/api/' })
      .refine((u) => /^https?:\/\//.test(u), { error: 'must start with http:// or https://' })
      .transform((u) => (u.endsWith('/') ? u : `${u}/`))
      .default('https://slack.com/api/'),
    PORT: z.coerce
      .number({ error: 'must be a port number between 1 and 65535' })
      .int({ error: 'must be a whole port number' })
      .min(1, { error: 'must be between 1 and 65535' })
      .max(65535, { error: 'must be between 1 and 65535' })
      .default(3000),
    DATABASE_URL: z
      .string()
      .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, { error: 'must be sqlite:<path> or postgres://user@host:port/database' })
      .default('sqlite:./data/carebridge.sqlite'),
    DATABASE_CONNECT_TIMEOUT_MS: milliseconds(DEFAULT_DATABASE_TIMEOUTS.connectMs),
    DATABASE_ACQUIRE_TIMEOUT_MS: milliseconds(DEFAULT_DATABASE_TIMEOUTS.acquireMs),
    DATABASE_STATEMENT_TIMEOUT_MS: milliseconds(DEFAULT_DATABASE_TIMEOUTS.statementMs),
    SLACK_COORDINATORS_CHANNEL: channel,
    SLACK_PROVIDERS_CHANNEL: channel,
    SLACK_MANAGERS_CHANNEL: channel,
    COORDINATORS: idList('user'),
    PROVIDERS: idList('user'),
    MANAGERS: idList('user'),
    PRACTICE_TIMEZONE: z
      .string()
      .refine(isIanaZone, { error: 'must be an IANA time zone name such as America/New_York' })
      .default('America/New_York'),
    POLICY_FILE: z.string().min(1).optional(),
    INTAKE_TOKEN: z.string().min(24, { error: 'must be at least 24 characters (generate one with: openssl rand -hex 32)' }).optional(),
    PATIENT_LABEL: z.enum(PATIENT_LABELS, { error: `must be one of ${PATIENT_LABELS.join(', ')}` }).default('initials_mrn4'),
    EHR_LINK_TEMPLATE: z
      .string()
      .refine((t) => /^https?:\/\//.test(t) && t.includes('{mrn}'), { error: 'must be an http(s) URL containing {mrn}, e.g. https://ehr.example/chart/{mrn}' })
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  });

export type Config = Readonly<z.output<typeof envSchema>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`CareBridge cannot start: ${problems.length} setting(s) need fixing\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example and the Configuration section of README.md.`);
    this.name = 'ConfigError';
  }
}

/** Empty strings count as unset, as in most .env files. */
function withoutBlanks(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== ''));
}

/** Validates the whole environment; throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const values = withoutBlanks(env);
  const parsed = envSchema.safeParse(values);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`);
  if (!values.SLACK_APP_TOKEN && !values.SLACK_SIGNING_SECRET) {
    problems.push('SLACK_SIGNING_SECRET: required in HTTP mode (no SLACK_APP_TOKEN): the signing secret from your Slack app\'s "Basic Information" page');
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return Object.freeze(parsed.data);
}

const databaseSchema = z.object({ DATABASE_URL: envSchema.shape.DATABASE_URL });

/** Just the database setting, for `carebridge migrate` which needs no Slack settings. */
export function loadDatabaseUrl(env: NodeJS.ProcessEnv): string {
  const parsed = databaseSchema.safeParse(withoutBlanks(env));
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return parsed.data.DATABASE_URL;
}

const practiceSchema = envSchema.pick({ DATABASE_URL: true, PRACTICE_TIMEZONE: true, POLICY_FILE: true });
export type PracticeSettings = Readonly<z.output<typeof practiceSchema>>;

/** The database and practice settings only, for commands that work without Slack (`carebridge import`). */
export function loadPracticeSettings(env: NodeJS.ProcessEnv): PracticeSettings {
  const parsed = practiceSchema.safeParse(withoutBlanks(env));
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return Object.freeze(parsed.data);
}
