/**
 * Runs an app under test in a process of its own, as production runs it: CareBridge
 * through its `carebridge start` command, or the bare Bolt floor app. Its own process
 * so its peak memory is its own (the benchmark holds other data sets) and the load
 * generator does not share its event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { scratchDir } from './databases';

/** An app under test running in its own process. */
export interface AppProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Its process id. */
  pid: number;
  /** Peak resident memory so far (VmHWM), in MB; null where /proc is not available. */
  peakRssMb(): number | null;
  /** Resident memory now (VmRSS), in MB. */
  rssMb(): number | null;
  /** Milliseconds from spawning the process until it first answered ready (to the poll interval). */
  readyInMs: number;
  /** The last lines the app wrote (for a figure that failed). */
  output(): string;
  /** Stops the app (SIGTERM, then SIGKILL after 3 s: a drained queue is not this figure's business). */
  stop(): Promise<void>;
}

const CAREBRIDGE_BIN = fileURLToPath(new URL('../../bin/carebridge.js', import.meta.url));
const BARE_APP = fileURLToPath(new URL('./bare-bolt-app.ts', import.meta.url));
/** tsx's loader by absolute URL: the child runs in a scratch folder with no node_modules. */
const TSX_LOADER = import.meta.resolve('tsx');
const running = new Set<ChildProcess>();

/** A port free right now (the app is told to listen on it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function memoryLine(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? (Number(match[1]) * 1024) / 1e6 : null;
  } catch {
    return null;
  }
}

/** How often readiness is polled; the start-up figure polls more often, to time it closely. */
export interface StartOptions {
  pollMs?: number;
}

async function start(args: string[], env: Record<string, string>, readyPath: string, readyStatus: (status: number) => boolean, options: StartOptions = {}): Promise<AppProcess> {
  const port = await freePort();
  const pollMs = options.pollMs ?? 200;
  const spawnedAt = performance.now();
  // A scratch working folder, so no .env of the developer's is read; only the settings given here count.
  const child = spawn(process.execPath, args, {
    cwd: scratchDir(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let tail = '';
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString('utf8')).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  exited.then(() => running.delete(child), () => undefined);
  const url = `http://127.0.0.1:${port}`;
  const app: AppProcess = {
    url,
    pid: child.pid!,
    peakRssMb: () => memoryLine(child.pid, 'VmHWM'),
    rssMb: () => memoryLine(child.pid, 'VmRSS'),
    readyInMs: 0,
    output: () => tail,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode}: ${tail.trim().split('\n').slice(-3).join(' | ')}`);
    try {
      const res = await fetch(`${url}${readyPath}`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (readyStatus(res.status)) {
        app.readyInMs = performance.now() - spawnedAt;
        return app;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await app.stop();
      throw new Error(`the app was not ready within 60 s: ${tail.trim().split('\n').slice(-3).join(' | ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** `carebridge start` with these settings; ready when /healthz answers 200 (database and Slack checked). */
export function startCareBridgeProcess(env: Record<string, string>, options: StartOptions = {}): Promise<AppProcess> {
  return start([CAREBRIDGE_BIN, 'start'], env, '/healthz', (status) => status === 200, options);
}

/** The bare Bolt app; ready when it answers HTTP at all. */
export function startBareBoltProcess(env: Record<string, string>): Promise<AppProcess> {
  return start(['--import', TSX_LOADER, BARE_APP], env, '/', () => true);
}

/** Kills every app still running (an interrupted or failed run). */
export function stopAllApps(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
