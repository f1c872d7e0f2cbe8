// The Bolt peer of the ack-path benchmark: Bolt for JavaScript 5.1.0 that only acknowledges, as its docs show.
// Bolt checks the signature and parses the body itself; the listeners answer with a short ephemeral text.
const { App } = require('@slack/bolt');

const app = new App({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  token: 'xoxb-bench-not-used',
  tokenVerificationEnabled: false,
  // Given, so Bolt never calls auth.test (there is no Slack here): it would otherwise ask on the first request.
  botId: 'BBENCH',
  botUserId: 'UBENCHBOT',
  endpoints: ['/slack/commands', '/slack/interactions'],
});

app.command('/incident', async ({ command, ack }) => {
  await ack({ response_type: 'ephemeral', text: `${command.command} ${command.text}: received` });
});

app.action(/.*/, async ({ ack }) => {
  await ack();
});

(async () => {
  await app.start({ port: Number(process.env.PORT || 3000), host: '127.0.0.1' });
  console.log('bolt peer listening');
})();
