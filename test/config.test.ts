import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadDatabaseUrl } from '../src/config';

const GOOD = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
  SLACK_COORDINATORS_CHANNEL: 'C0COORD01',
  SLACK_PROVIDERS_CHANNEL: 'C0PROV001',
  SLACK_MANAGERS_CHANNEL: 'G0MGRS001',
  COORDINATORS: 'U0AAA0001, U0AAA0002,S0GROUP01',
  PROVIDERS: 'W0PROV001',
  MANAGERS: 'U0MGR0001',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('accepts a complete environment and applies the SPEC defaults', () => {
    const config = loadConfig(GOOD);
    expect(config.COORDINATORS).toEqual(['U0AAA0001', 'U0AAA0002', 'S0GROUP01']);
    expect(config.DATABASE_URL).toBe('sqlite:./data/carebridge.sqlite');
    expect(config.PORT).toBe(3000);
    expect(config.PRACTICE_TIMEZONE).toBe('America/New_York');
    expect(config.PATIENT_LABEL).toBe('initials_mrn4');
    expect(config.SLACK_API_URL).toBe('https://slack.com/api/');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lists every missing variable at once, each with how to fix it', () => {
    const found = problems({});
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_COORDINATORS_CHANNEL', 'SLACK_PROVIDERS_CHANNEL', 'SLACK_MANAGERS_CHANNEL', 'COORDINATORS', 'PROVIDERS', 'MANAGERS']) {
      expect(found.some((p) => p.startsWith(`${name}:`)), name).toBe(true);
    }
    expect(found.find((p) => p.startsWith('SLACK_BOT_TOKEN'))).toMatch(/xoxb-/);
  });

  it('refuses malformed values and never echoes a secret', () => {
    const found = problems({
      ...GOOD,
      SLACK_BOT_TOKEN: 'xoxp-secret-user-token',
      SLACK_PROVIDERS_CHANNEL: '#providers',
      MANAGERS: 'alice',
      PORT: '99999',
      PRACTICE_TIMEZONE: 'Mars/Olympus',
      PATIENT_LABEL: 'full',
      DATABASE_URL: 'mysql://x',
      EHR_LINK_TEMPLATE: 'https://ehr.example/chart',
      INTAKE_TOKEN: 'short',
    });
    const names = found.map((p) => p.split(':')[0]);
    expect(names).toEqual(
      expect.arrayContaining(['SLACK_BOT_TOKEN', 'SLACK_PROVIDERS_CHANNEL', 'MANAGERS.0', 'PORT', 'PRACTICE_TIMEZONE', 'PATIENT_LABEL', 'DATABASE_URL', 'EHR_LINK_TEMPLATE', 'INTAKE_TOKEN']),
    );
    expect(found.join('\n')).not.toContain('xoxp-secret-user-token');
  });

  it('needs the signing secret only in HTTP mode', () => {
    const { SLACK_SIGNING_SECRET: _omit, ...withoutSecret } = GOOD;
    expect(problems(withoutSecret)).toEqual([expect.stringMatching(/^SLACK_SIGNING_SECRET: required in HTTP mode/)]);
    expect(problems({ ...withoutSecret, SLACK_APP_TOKEN: 'xapp-1-A-1-abc' })).toEqual([]);
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ ...GOOD, PORT: '', DATABASE_URL: ' ' }).PORT).toBe(3000);
  });

  it('reads just DATABASE_URL for migrate', () => {
    expect(loadDatabaseUrl({})).toBe('sqlite:./data/carebridge.sqlite');
    expect(() => loadDatabaseUrl({ DATABASE_URL: 'oracle:x' })).toThrow(ConfigError);
  });
});
