#!/usr/bin/env node
// Entry point of the `carebridge` command. CareBridge ships as TypeScript and runs
// through tsx's loader, so `npm ci && npm start` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
