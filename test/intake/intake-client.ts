import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createIntakeHandler } from '../../src/intake/intake-handler';
import type { Logger } from '../../src/logger';
import type { ServiceWorld } from '../support/services';

export const TOKEN = 'test-intake-token-0123456789abcdef';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** A real HTTP server on an ephemeral port running the intake handler, and a client for it. */
export interface IntakeServer {
  url: string;
  logs: string[];
  post(body: unknown, options?: { headers?: Record<string, string>; method?: string; chunks?: Buffer[] }): Promise<Reply>;
  close(): Promise<void>;
}

/** A pino logger whose lines land in `logs`, so tests can read what would be logged. */
export function memoryLogger(): { logger: Logger; logs: string[] } {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), logs };
}

/** `intakeToken: null` starts it with intake off. */
export async function startIntakeServer(w: ServiceWorld, intakeToken: string | null = TOKEN): Promise<IntakeServer> {
  const { logger, logs } = memoryLogger();
  const server: Server = createServer(createIntakeHandler({ cases: w.cases, clock: w.clock, intakeToken: intakeToken ?? undefined, logger }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/intake/events`;

  function post(body: unknown, options: { headers?: Record<string, string>; method?: string; chunks?: Buffer[] } = {}): Promise<Reply> {
    const payload = options.chunks ?? [Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body))];
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...options.headers };
    // Without chunks, send a Content-Length; with them, stream chunked like a client that does not know the size.
    if (!options.chunks) headers['content-length'] ??= String(payload[0]!.length);
    for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
    return new Promise((resolve, reject) => {
      const req = request(url, { method: options.method ?? 'POST', headers, agent: false }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : null });
        });
      });
      // A server that answers early (413) may close while we are still sending: the answer counts.
      req.on('error', (e) => setTimeout(() => reject(e), 50));
      for (const chunk of payload) req.write(chunk);
      req.end();
    });
  }

  return { url, logs, post, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let seq = 0;
/** A valid intake body (SPEC §10) with fake patient data; each call gets a new externalId. */
export function intakeBody(overrides: Record<string, unknown> = {}): Record<string, any> {
  seq += 1;
  return {
    externalId: `ehr-intake-${process.pid}-${seq}`,
    trigger: 'missed_appointment',
    occurredAt: '2026-11-25T09:00:00-05:00',
    patient: { mrn: 'MRN77770001', name: 'Testy McFakeface', phone: '555-010-9999', dob: '1961-04-05' },
    visitType: 'follow_up',
    details: 'No-show, cardiology follow-up',
    location: 'Main clinic',
    ...overrides,
  };
}
