import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config';
import { loadPolicy } from '../src/policy-file';

function policyFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'carebridge-policy-')), 'policy.json');
  writeFileSync(path, text);
  return path;
}

function loadError(path: string): string {
  try {
    loadPolicy(path, 'America/New_York');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('the policy loaded');
}

describe('loadPolicy (POLICY_FILE)', () => {
  it('names a file that is not JSON by line and column, never quoting it', () => {
    const path = policyFile('root:$6$Zq1sAlT$hAsHeDpAsSwOrD:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n');
    const message = loadError(path);
    expect(message).toContain(`POLICY_FILE: ${path} is not valid JSON (line 1, column 1)`);
    for (const secret of ['root', '$6$', 'Zq1sAlT', 'hAsHeD', 'daemon', '19700']) expect(message).not.toContain(secret);
  });

  it('points at the mistake in a policy with a typo, without quoting the lines around it', () => {
    const path = policyFile('{\n  "lanes": { "referral": { "script": "Call Dr Secretname first" } },\n  "tierWindowMinutes": { "low": 2700, }\n}\n');
    const message = loadError(path);
    expect(message).toContain(`${path} is not valid JSON (line 3, column 39)`);
    expect(message).not.toMatch(/Secretname|2700|script/);
  });

  it('reads a file saved with a byte-order mark', () => {
    const policy = loadPolicy(policyFile('\uFEFF{ "tierWindowMinutes": { "urgent": 180 } }'), 'America/New_York');
    expect(policy.tierWindowMinutes.urgent).toBe(180);
  });

  it.each([
    ['{"a": tru}', 1, 10],
    ['{"a": "\\u12G4"}', 1, 12],
    ['[1,\n 2,\n 3', 3, 3],
    ['', 1, 1],
  ])('points at the first mistake of %j', (text, line, column) => {
    expect(loadError(policyFile(text))).toContain(`is not valid JSON (line ${line}, column ${column})`);
  });

  it('says a missing or unreadable file is so', () => {
    expect(loadError('/nonexistent/policy.json')).toContain('POLICY_FILE: cannot read /nonexistent/policy.json (file not found)');
    expect(loadError(tmpdir())).toContain(`POLICY_FILE: cannot read ${tmpdir()} (EISDIR)`);
  });
});
