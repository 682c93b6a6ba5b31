import type { IncomingMessage } from 'node:http';

/** What reading a request body can come to. */
export type BodyRead = { kind: 'ok'; body: Buffer } | { kind: 'too_large' } | { kind: 'aborted' };

/**
 * Reads a request body of at most `limit` bytes. A declared Content-Length over the
 * limit is refused before reading anything; otherwise reading stops at the first
 * chunk that goes over, so a huge or endless body never sits in memory. After
 * `too_large`, answer and then `closeAfterDiscarding` the rest.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too_large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyRead) => {
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        finish({ kind: 'too_large' });
      } else chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: 'ok', body: Buffer.concat(chunks, size) });
    // A client that hangs up mid-body gets no answer; there is nobody left to read it.
    const onAbort = () => finish({ kind: 'aborted' });
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onAbort);
  });
}

/** How long, and how many more bytes, an over-limit body is read and thrown away for after the answer. */
export const DISCARD_MS = 5_000;
export const DISCARD_BYTES = 64 * 1024 * 1024;

/**
 * For an answer sent before the body was read (413): the answer must carry
 * `Connection: close`. Node would end the connection as soon as the answer is written;
 * closing a socket while the client's body is still arriving makes the kernel send a
 * reset, and a client that writes its whole body before reading (most do) then sees
 * "connection reset" instead of the answer. So the connection is only half-closed
 * after the answer, the rest of the body is read and thrown away, and the socket is
 * destroyed once the client is done, or after `DISCARD_MS` or `DISCARD_BYTES` at most.
 */
export function closeAfterDiscarding(req: IncomingMessage): void {
  const socket = req.socket;
  let discarded = 0;
  const destroy = () => socket.destroy();
  const backstop = setTimeout(destroy, DISCARD_MS);
  socket.once('close', () => clearTimeout(backstop));
  // Node calls destroySoon once a Connection: close answer is written: end our side only.
  socket.destroySoon = () => void socket.end();
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_BYTES) destroy();
  });
  req.once('end', () => socket.end());
  req.resume();
}

/**
 * True for `application/json` and `application/<anything>+json`, with parameters,
 * as long as any charset named is UTF-8 (the only one JSON may use, RFC 8259 §8.1).
 */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [type = '', ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) return false;
  return params.every((p) => !p.startsWith('charset=') || /^charset="?utf-8"?$/.test(p));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a UTF-8 JSON body (a leading BOM is allowed); not ok when it is not valid UTF-8 JSON. */
export function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(utf8.decode(body)) as unknown };
  } catch {
    return { ok: false };
  }
}
