// Which code `bin/carebridge.js` runs: the compiled JavaScript in dist/ (production) when
// it is there and current, else the TypeScript sources through tsx (development).
// Plain JavaScript with no dependencies, so deciding costs a few milliseconds.
import { readFileSync, statSync } from 'node:fs';

/**
 * @typedef {{ mode: 'compiled', url: URL } | { mode: 'tsx', url: URL, reason: string, stale: boolean }} Entry
 */

/**
 * Decides for the project folder `root` (a file: URL ending in '/'). `env.CAREBRIDGE_DEV=1`
 * forces the sources. dist/ counts as current while none of the source files its build
 * read (listed in dist/build-info.json) has changed since that build started, or gone.
 * @param {URL} root
 * @param {Record<string, string | undefined>} env
 * @returns {Entry}
 */
export function chooseEntry(root, env) {
  const sources = new URL('src/cli.ts', root);
  const tsx = (reason, stale = false) => ({ mode: 'tsx', url: sources, reason, stale });
  if (env.CAREBRIDGE_DEV === '1') return tsx('CAREBRIDGE_DEV=1');
  let info;
  try {
    info = JSON.parse(readFileSync(new URL('dist/build-info.json', root), 'utf8'));
  } catch {
    return tsx('dist/ has not been built (npm run build)');
  }
  if (!Number.isFinite(info?.startedAtMs) || !Array.isArray(info?.inputs)) return tsx('dist/build-info.json is not one this version wrote (npm run build)', true);
  for (const input of info.inputs) {
    let changed;
    try {
      changed = statSync(new URL(input, root)).mtimeMs > info.startedAtMs;
    } catch {
      return tsx(`${input} is gone since dist/ was built (npm run build)`, true);
    }
    if (changed) return tsx(`${input} changed since dist/ was built (npm run build)`, true);
  }
  return { mode: 'compiled', url: new URL('dist/cli.mjs', root) };
}
