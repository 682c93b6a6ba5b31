import { describe, expect, it } from 'vitest';
import { boltLogger, withoutPayload } from '../src/slack/bolt-logger';
import { captureLogs } from './support/log-capture';

describe('createLogger', () => {
  it('logs a database error that did not pass through knex without its DETAIL, bindings or quoted values', () => {
    const { logger, lines } = captureLogs('info');
    const err = Object.assign(new Error('invalid input syntax for type bigint: "Zelda Quistorp"'), {
      code: '22P02',
      detail: 'Key (external_id)=(EHR-Zelda) already exists.',
      where: 'unnamed portal parameter $1 = \'EHR-Zelda\'',
      bindings: ['Zelda Quistorp', 'MRN00044321'],
      table: 'cases',
    });
    logger.error({ err }, 'write failed');
    logger.error({ err: Object.assign(new Error('Defined query timeout of 50ms exceeded'), { name: 'KnexTimeoutError', bindings: ['MRN00044321'] }) }, 'slow');
    expect(lines.join('\n')).not.toMatch(/Zelda|MRN00044321/);
    expect(JSON.parse(lines[0]!).err).toMatchObject({ code: '22P02', table: 'cases', message: 'invalid input syntax for type bigint: "…"' });
    expect(err.message).toContain('Zelda'); // the logged copy is scrubbed, the thrown error is the caller's
  });
});

describe('boltLogger', () => {
  it.each([
    ['http request body: {"channel":"C1","text":"Zelda"}', 'http request body: [withheld]'],
    ['ack() call begins (body: Zelda called)', 'ack() call begins (body: [withheld]'],
    ['{"type":"view_submission","user":{"name":"Zelda"}}', '[withheld]'],
    ['Received a message on the WebSocket: {"envelope_id":"1","payload":{"user":"Zelda"}}', 'Received a message on the WebSocket: [withheld]'],
    ['Calling ack() - type: interactive, envelope_id: 1, data: {"response_action":"errors"}', 'Calling ack() - type: interactive, envelope_id: 1, data: [withheld]'],
    ["apiCall('chat.postMessage') start", "apiCall('chat.postMessage') start"],
    ['http request url: http://slack.test/api/views.open', 'http request url: http://slack.test/api/views.open'],
  ])('keeps the gist of %j', (line, logged) => {
    expect(withoutPayload(line)).toBe(logged);
  });

  it('passes SDK lines through withoutPayload at every level', () => {
    const { logger, lines } = captureLogs('debug');
    const bolt = boltLogger(logger);
    for (const level of ['debug', 'info', 'warn', 'error'] as const) bolt[level]('Failed to parse the request body:', '"Zelda Quistorp" is not valid JSON');
    expect(lines).toHaveLength(4);
    expect(lines.join('\n')).not.toContain('Zelda');
  });
});
