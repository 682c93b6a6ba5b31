import { readFileSync } from 'node:fs';
import { ConfigError } from './config';
import { defaultPolicy, parsePolicy, type Policy } from './domain/policy';

/** The practice policy: defaults, overridden by POLICY_FILE (JSON) when set. */
export function loadPolicy(policyFile: string | undefined, timeZone: string): Policy {
  if (!policyFile) return defaultPolicy(timeZone);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(policyFile, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ConfigError([`POLICY_FILE: cannot read ${policyFile} as JSON (${reason}); fix the file or unset POLICY_FILE to use the defaults`]);
  }
  const parsed = parsePolicy(json, timeZone);
  if (!parsed.ok) throw new ConfigError(parsed.errors.map((e) => `POLICY_FILE ${policyFile}: ${e}`));
  return parsed.policy;
}
