import { loadConfig } from '../config';

/** `carebridge start` (`npm start`): validate settings, migrate, run until stopped. */
export async function start(_args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const config = loadConfig(env);
  // Loaded only once the settings are known to be good, so a bad setting is reported at once.
  const { startCareBridge } = await import('../main');
  const running = await startCareBridge(config);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.stop();
  return 0;
}
