import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../../src/slack/app';
import type { TestApp } from '../support/slack';
import { withTestApp } from '../support/test-app-hooks';

const INTAKE_TOKEN = 'intake-token-0123456789abcdef';
const MIB = 1024 * 1024;

/**
 * A client like most HTTP libraries: it writes a request head, streams `size` bytes in
 * 16 KiB chunks as fast as the socket takes them, and only then reads the answer.
 * Resolves with everything received once the server closes.
 */
function streamBody(port: number, framing: 'chunked' | 'length', size: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let failed = false;
    socket.pause(); // nothing is read until the whole body is sent
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', () => {
      failed = true; // EPIPE / ECONNRESET while writing: what was received still counts
    });
    socket.on('close', () => resolve(Buffer.concat(received).toString('latin1')));
    const head = [
      'POST /intake/events HTTP/1.1',
      'Host: 127.0.0.1',
      `Authorization: Bearer ${INTAKE_TOKEN}`,
      'Content-Type: application/json',
      framing === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${size}`,
      '',
      '',
    ].join('\r\n');
    const piece = Buffer.alloc(16 * 1024, 0x20);
    const frame = framing === 'chunked' ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece;
    let sent = 0;
    const pump = () => {
      while (!failed && !socket.destroyed && sent < size) {
        sent += piece.length;
        if (!socket.write(frame)) return void socket.once('drain', pump);
      }
      if (sent < size) return;
      if (!failed && !socket.destroyed && framing === 'chunked') socket.write('0\r\n\r\n');
      socket.resume();
    };
    socket.write(head, pump);
  });
}

describe('intake request limits', () => {
  let app: TestApp;
  withTestApp('sqlite', { config: { INTAKE_TOKEN } }, (a) => (app = a));

  // 1 MiB fits in the loopback socket buffers, so it only failed under load; 16 MiB does not fit and failed every time.
  it.each([
    ['chunked', 1],
    ['length', 1],
    ['chunked', 16],
    ['length', 16],
  ] as const)('answers 413 every time to a client streaming a body (%s, %i MiB) before reading, then closes', async (framing, mib) => {
    for (let i = 0; i < 20; i++) {
      const response = await streamBody(app.port, framing, mib * MIB);
      expect(response.slice(0, 12), `attempt ${i + 1}`).toBe('HTTP/1.1 413');
      expect(response).toMatch(/\r\nconnection: close\r\n/i);
    }
    expect(await app.db.knex('cases').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('gives up on slow clients: headers within 15 s, the whole request within 30 s', () => {
    const server = app.server;
    expect([HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS]).toEqual([15_000, 30_000]);
    expect([server.headersTimeout, server.requestTimeout]).toEqual([HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS]);
  });

  it('answers 408 and disconnects a client that never finishes its headers (checked every 2 s)', async () => {
    const server = app.server;
    server.headersTimeout = 100; // read at each check, so the test need not wait 15 s
    try {
      const response = await new Promise<string>((resolve) => {
        const socket = connect(app.port, '127.0.0.1');
        const received: Buffer[] = [];
        socket.on('data', (chunk) => received.push(chunk));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(Buffer.concat(received).toString('latin1')));
        socket.write('POST /intake/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl');
      });
      expect(response.slice(0, 12)).toBe('HTTP/1.1 408');
    } finally {
      server.headersTimeout = HEADERS_TIMEOUT_MS;
    }
  });
});
