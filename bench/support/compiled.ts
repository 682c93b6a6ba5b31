/**
 * The benchmark runs the app as production does: compiled, from dist/. When dist/ is
 * missing or older than the sources, it is built first (as `npm ci` would have).
 */
import { chooseEntry } from '../../bin/choose-entry.js';
import { buildCareBridge } from '../../scripts/build.mjs';

const ROOT = new URL('../../', import.meta.url);

/** Builds dist/ unless it is current; says which it was, for a figure's note. */
export async function ensureCompiled(): Promise<string> {
  const entry = chooseEntry(ROOT, {});
  if (entry.mode === 'compiled') return 'dist/ was current';
  const { ms } = await buildCareBridge();
  if (chooseEntry(ROOT, {}).mode !== 'compiled') throw new Error('dist/ is still not current after building it');
  return `dist/ built first in ${ms.toFixed(0)} ms (${entry.reason.replace(/ \(npm run build\)$/, '')})`;
}
