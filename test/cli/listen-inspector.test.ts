/**
 * listen's client of the inspector (cli/listen-inspector.ts) against the local receiver's inspector
 * over HTTP: what it says of each post, and an npm start restarted under it (a new process, a new
 * token) costs one refused post and a retry, not a failure.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { connectInspector } from '../../cli/listen-inspector.ts';
import { deployedEnvelope } from '../support/deployed-envelope.ts';
import { portOf } from '../support/inspector-client.ts';
import { SDK_APP_ID, startTestReceiver, type TestReceiver } from '../support/receiver.ts';

const running: TestReceiver[] = [];
afterEach(async () => {
  for (const receiver of running.splice(0)) await receiver.close();
});
const start = async (port = 0) => {
  const receiver = await startTestReceiver({ inspector: {}, port });
  running.push(receiver);
  return receiver;
};

/** An SQS message's body as EventBridge writes it for listen's queue. */
const message = JSON.stringify(
  deployedEnvelope({ eventId: 'a'.repeat(32), sdkAppId: SDK_APP_ID, command: 'Group.CallbackAfterSendMsg', kind: 'after', receivedAt: 1, body: {} }),
);

describe("listen's client of the inspector", () => {
  test('says what came of each post: no page open, refused with the reason', async () => {
    const receiver = await start();
    const inspector = await connectInspector(receiver.inspectorUrl!);
    expect(await inspector.send(message)).toBe('no page open: not shown');
    expect(await inspector.send('{"source":"aws.s3"}')).toMatch(/^refused: HTTP 400 a deployed event is one of the bus's/);
  });

  test('npm start restarted on the same port: the new token is fetched and the post goes through', async () => {
    const first = await start();
    const port = portOf(first);
    const inspector = await connectInspector(first.inspectorUrl!);
    await first.close();
    running.splice(running.indexOf(first), 1);
    expect(await inspector.send(message)).toMatch(/^failed: /);
    await start(port);
    expect(await inspector.send(message)).toBe('no page open: not shown');
  });

  test('nobody answering at the URL fails in one line, naming the option', async () => {
    await expect(connectInspector('http://127.0.0.1:9/')).rejects.toThrow(
      /^--inspector http:\/\/127\.0\.0\.1:9\/: no inspector answers there \(.+\): start npm start/,
    );
  });
});
