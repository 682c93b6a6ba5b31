/**
 * The floor of the interaction figure: a bare Bolt app, run as CareBridge runs (Node with
 * tsx, Bolt's HTTP receiver, the same signing secret), whose Claim and note listeners
 * only acknowledge. Started by app-process.ts with PORT, SLACK_SIGNING_SECRET and
 * SLACK_API_URL in its environment.
 */
import { App, LogLevel } from '@slack/bolt';
import { ACTIONS, VIEWS } from '../../src/slack/ids';

const app = new App({
  token: 'xoxb-bench-token',
  signingSecret: process.env.SLACK_SIGNING_SECRET!,
  tokenVerificationEnabled: false,
  botUserId: 'U0BOT0001',
  botId: 'B0BOT0001',
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});
app.action(ACTIONS.caseClaim, async ({ ack }) => ack());
app.view(VIEWS.note, async ({ ack }) => ack());
await app.start(Number(process.env.PORT));
