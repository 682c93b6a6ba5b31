import nock from 'nock';
import { afterAll, beforeAll } from 'vitest';
import type { Engine } from '../../src/store/db';
import { startTestApp, type TestApp } from './slack';

/**
 * Runs a whole CareBridge for the enclosing `describe` block with every network call
 * but the local one cut off (so a missed Web API interception fails the test), and
 * hands the app to `use` once it is up. Closes it and restores the network afterwards.
 */
export function withTestApp(engine: Engine, options: Parameters<typeof startTestApp>[1], use: (app: TestApp) => void): void {
  let app: TestApp | undefined;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    app = await startTestApp(engine, options);
    use(app);
  });
  afterAll(async () => {
    await app?.close();
    nock.enableNetConnect();
  });
}
