import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDir } from './databases';

/** The app's event-loop delays between two readings, in milliseconds. */
export interface LoopDelays {
  maxMs: number;
  p99Ms: number;
  meanMs: number;
  samples: number;
}

const PROBE = fileURLToPath(new URL('./loop-probe.mjs', import.meta.url));

/**
 * An event-loop probe for an app process: `env` is added to the app's environment (it
 * loads `loop-probe.mjs`); `read(pid)` asks the app for the delays since the last reading.
 */
export function loopProbe(name: string): { env: Record<string, string>; read(pid: number): Promise<LoopDelays> } {
  const file = join(scratchDir(), `${name}-loop.json`);
  return {
    env: { NODE_OPTIONS: `--import ${PROBE}`, LOOP_PROBE_FILE: file },
    async read(pid) {
      rmSync(file, { force: true });
      process.kill(pid, 'SIGUSR2');
      for (let waited = 0; !existsSync(file); waited += 20) {
        if (waited > 5_000) throw new Error('the app did not answer the event-loop probe');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // The probe writes the file in one call; a reading can meet it half-written only in theory.
      for (;;) {
        try {
          return JSON.parse(readFileSync(file, 'utf8')) as LoopDelays;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    },
  };
}
