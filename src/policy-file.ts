import { readFileSync } from 'node:fs';
import { ConfigError } from './config';
import { defaultPolicy, parsePolicy, type Policy } from './domain/policy';
import { jsonErrorPosition } from './json-position';

/** The practice policy: defaults, overridden by POLICY_FILE (JSON) when set. */
export function loadPolicy(policyFile: string | undefined, timeZone: string): Policy {
  if (!policyFile) return defaultPolicy(timeZone);
  const fix = 'fix the file or unset POLICY_FILE to use the defaults';
  let text: string;
  try {
    text = readFileSync(policyFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : (code ?? 'unreadable');
    throw new ConfigError([`POLICY_FILE: cannot read ${policyFile} (${reason}); ${fix}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, '')); // editors on Windows save a BOM
  } catch {
    // JSON.parse's message quotes the text; a mistaken path must not print someone's secrets.
    const { line, column } = jsonErrorPosition(text.replace(/^\uFEFF/, ''));
    throw new ConfigError([`POLICY_FILE: ${policyFile} is not valid JSON (line ${line}, column ${column}); ${fix}`]);
  }
  const parsed = parsePolicy(json, timeZone);
  if (!parsed.ok) throw new ConfigError(parsed.errors.map((e) => `POLICY_FILE ${policyFile}: ${e}`));
  return parsed.policy;
}
