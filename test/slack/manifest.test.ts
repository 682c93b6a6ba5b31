import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { COMMAND, SHORTCUTS } from '../../src/slack/ids';

const ROOT = join(import.meta.dirname, '..', '..');
/** Slack's v1 manifest schema (slackapi/manifest-schema, MIT), copied into the fixtures. */
const schema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/slack-manifest.schema.1.0.0.json'), 'utf8'));
const manifest = parse(readFileSync(join(ROOT, 'manifest.yml'), 'utf8'));

/** Bot scope each Web API method needs (docs.slack.dev method pages); [] = none. */
const SCOPES_OF: Record<string, string[]> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.delete': ['chat:write'],
  'chat.scheduleMessage': ['chat:write'],
  'chat.getPermalink': [],
  'conversations.info': ['channels:read', 'groups:read'],
  'conversations.open': ['im:write'],
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  'usergroups.users.list': ['usergroups:read'],
  'users.info': ['users:read'],
  'views.open': [],
  'views.update': [],
  'views.push': [],
  'views.publish': [],
  'files.uploadV2': ['files:write'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}
const sources = sourceFiles(join(ROOT, 'src')).map((path) => ({ path, text: readFileSync(path, 'utf8') }));

/** Every Web API method src/ calls: `client.chat.postMessage(`, `client.filesUploadV2(`, `apiCall('x.y'`. */
function methodsCalled(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (method: string, path: string) => found.set(method, [...(found.get(method) ?? []), path.slice(ROOT.length + 1)]);
  const call = /\.(chat|conversations|views|usergroups|users|files|auth|reactions|pins|team|apps|bots|dnd|emoji|reminders|search|bookmarks|canvases|assistant|admin)((?:\.[A-Za-z]+)+)\s*\(/g;
  for (const { path, text } of sources) {
    for (const m of text.matchAll(call)) add(`${m[1]}${m[2]}`, path);
    for (const _ of text.matchAll(/\.filesUploadV2\s*\(/g)) add('files.uploadV2', path);
    for (const m of text.matchAll(/\.apiCall\(\s*['"]([\w.]+)['"]/g)) add(m[1]!, path);
  }
  return found;
}

describe('manifest.yml', () => {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(schema);

  it("is valid against Slack's v1 manifest schema", () => {
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('is checked for real: a too-long shortcut name or an unknown setting fails', () => {
    const tooLong = structuredClone(manifest);
    tooLong.features.shortcuts[0].name = 'Create follow-up from message';
    expect(validate(tooLong)).toBe(false);
    expect(validate({ ...manifest, settings: { ...manifest.settings, socket_mode: true } })).toBe(false);
  });

  it('stays valid in the HTTP-mode variant the README describes (request URLs, Socket Mode off)', () => {
    const url = 'https://carebridge.example.org/slack/events';
    const http = structuredClone(manifest);
    http.features.slash_commands[0].url = url;
    http.settings.event_subscriptions.request_url = url;
    http.settings.interactivity.request_url = url;
    http.settings.socket_mode_enabled = false;
    expect(validate(http), JSON.stringify(validate.errors)).toBe(true);
  });

  it('declares /followup, the message shortcut, App Home and Socket Mode as the code expects', () => {
    expect(manifest.features.slash_commands).toEqual([expect.objectContaining({ command: COMMAND, usage_hint: expect.stringContaining('queue [lane]') })]);
    expect(manifest.features.shortcuts).toEqual([expect.objectContaining({ type: 'message', callback_id: SHORTCUTS.createFromMessage })]);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it('subscribes to exactly the events src/ listens to', () => {
    const events = new Set<string>();
    for (const { text } of sources) for (const m of text.matchAll(/\bapp\.event\(\s*['"](\w+)['"]/g)) events.add(m[1]!);
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...events].sort());
  });

  it('asks for exactly the bot scopes of the Web API methods src/ calls, plus commands', () => {
    const called = methodsCalled();
    const unknown = [...called.keys()].filter((m) => !(m in SCOPES_OF));
    // A method missing here needs its scope looked up, added to this table and to manifest.yml.
    expect(unknown, `methods without a known scope: ${unknown.map((m) => `${m} (${called.get(m)!.join(', ')})`).join('; ')}`).toEqual([]);
    const needed = new Set([...called.keys()].flatMap((m) => SCOPES_OF[m]!));
    // Slash commands and shortcuts need `commands`.
    needed.add('commands');
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
    // The methods this app cannot do without are really found.
    expect([...called.keys()]).toEqual(expect.arrayContaining(['chat.postMessage', 'views.publish', 'views.open', 'usergroups.users.list']));
  });
});
