#!/usr/bin/env node
// Entry point of the `carebridge` command. In production it runs the compiled JavaScript
// in dist/ (built by `npm ci`, or `npm run build`); when dist/ is missing or older than
// the sources, or CAREBRIDGE_DEV=1 is set, it runs the TypeScript sources through tsx.
import { chooseEntry } from './choose-entry.js';

const entry = chooseEntry(new URL('../', import.meta.url), process.env);
if (entry.mode === 'tsx') {
  // Said only when a build exists but no longer matches the sources: running them is then a surprise.
  if (entry.stale) process.stderr.write(`carebridge: running the TypeScript sources through tsx: ${entry.reason}\n`);
  const { register } = await import('tsx/esm/api');
  register();
}
const { main } = await import(entry.url.href);
process.exitCode = await main(process.argv.slice(2));
