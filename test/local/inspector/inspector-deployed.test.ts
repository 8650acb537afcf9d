/**
 * The inspector's route for a deployed receiver's events (routes.deployed, posted by `npx tencent-im
 * listen --inspector`): over HTTP into the local receiver. An event posted with the token reaches the
 * open pages as a `deployed` row, and nothing else (not the table, not the feed); with no page open
 * nothing is made of it. A browser, a missing token, a body past the bound, garbage: each refused.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { EventDetail, EventEnvelope } from '../../../functions/fan-out/event-schema.ts';
import { MAX_DEPLOYED_BYTES } from '../../../local/inspector/deployed-events.ts';
import type { DeployedCallback } from '../../../local/inspector/inspector-types.ts';
import { routes, TOKEN_HEADER, TOKEN_REFUSAL } from '../../../local/inspector/routes.ts';
import { deployedEnvelope } from '../../support/deployed-envelope.ts';
import { action, liveUntil, pageToken, portOf, raw } from '../../support/inspector-client.ts';
import { SDK_APP_ID, startTestReceiver, storedEvents, type TestReceiver } from '../../support/receiver.ts';

let receiver: TestReceiver;
let token: string;
beforeAll(async () => {
  receiver = await startTestReceiver({ inspector: {} });
  token = await pageToken(receiver);
});
afterAll(() => receiver.close());

const EVENT_ID = 'd'.repeat(32);
const REPLAYED_ID = 'a'.repeat(32);
const body = {
  CallbackCommand: 'Group.CallbackAfterSendMsg',
  GroupId: '@TGS#deployed',
  From_Account: 'ann',
  MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }],
};
/** An event as EventBridge delivers it to listen's queue, its detail changed by `detail`. */
const envelope = (detail: Partial<EventDetail> = {}): EventEnvelope =>
  deployedEnvelope({
    eventId: EVENT_ID,
    sdkAppId: SDK_APP_ID,
    command: 'Group.CallbackAfterSendMsg',
    kind: 'after',
    groupId: '@TGS#deployed',
    user: 'ann',
    receivedAt: Date.UTC(2026, 0, 1),
    body,
    ...detail,
  });
const host = () => `127.0.0.1:${portOf(receiver)}`;
const postRaw = (text: string, headers: Record<string, string> = {}) =>
  raw(receiver, routes.deployed, {
    method: 'POST',
    headers: { host: host(), 'content-type': 'application/json', [TOKEN_HEADER]: token, ...headers },
    body: text,
  });

describe('a deployed event posted by listen', () => {
  test('reaches an open page as a deployed row, typed as the bus has it; the table never sees it', async () => {
    const shownOnly = envelope({ groupId: 'g-never-stored', body: { ...body, GroupId: 'g-never-stored' } });
    const answers: unknown[] = [];
    const { seen } = await liveUntil(
      receiver,
      (rows) => rows.some((row) => row.source === 'deployed'),
      async () => answers.push((await action(receiver, routes.deployed, shownOnly, token)).body),
    );
    expect(answers).toEqual([{ pages: 1 }]);
    const row = seen.find((candidate): candidate is DeployedCallback => candidate.source === 'deployed')!;
    expect(row).toMatchObject({
      id: `deployed:${EVENT_ID}`,
      at: Date.UTC(2026, 0, 1),
      path: '/callback',
      body: JSON.stringify(shownOnly.detail.body),
      replayable: true,
      record: {
        outcome: 'published',
        eventId: EVENT_ID,
        command: 'Group.CallbackAfterSendMsg',
        groupId: 'g-never-stored',
        user: 'ann',
        publicationId: 'eb-publication-1',
        region: 'ap-singapore-1',
      },
    });
    expect(row.record).not.toHaveProperty('body');
    expect((await storedEvents(receiver)).filter((event) => event.payload.includes('g-never-stored'))).toEqual([]);
    const listed = JSON.parse((await raw(receiver, routes.stored, { headers: { host: host() } })).body) as { body: string }[];
    expect(listed.filter((stored) => stored.body.includes('g-never-stored'))).toEqual([]);
  });

  test('with no page open nothing is made of it: the answer says no page showed it', async () => {
    expect(await action(receiver, routes.deployed, envelope({ eventId: 'e'.repeat(32) }), token)).toEqual({ status: 200, body: { pages: 0 } });
  });

  test("an envelope without the fields the page does not need is taken: moto's SQS targets leave out `account`", async () => {
    const { account: _account, version: _version, resources: _resources, ...rest } = envelope({ eventId: 'b'.repeat(32) });
    expect(await action(receiver, routes.deployed, rest, token)).toEqual({ status: 200, body: { pages: 0 } });
  });

  test("Replay sends its body to the local callback route, the page's explicit act: then it is a local callback", async () => {
    const { seen } = await liveUntil(
      receiver,
      (rows) => rows.some((row) => row.source === 'live' && row.origin === `replay of deployed:${REPLAYED_ID}`),
      async () => {
        await action(receiver, routes.deployed, envelope({ eventId: REPLAYED_ID }), token);
        expect(await action(receiver, routes.replay, { id: `deployed:${REPLAYED_ID}` }, token)).toMatchObject({ status: 200, body: { status: 200 } });
      },
    );
    expect(seen.find((row) => row.source === 'live')!.record).toMatchObject({ outcome: 'stored', groupId: '@TGS#deployed' });
    expect((await storedEvents(receiver)).map((event) => event.payload)).toContain(JSON.stringify(body));
  });

  test('one whose body the bus left out shows why, and is not replayable', async () => {
    const { body: _body, ...bare } = envelope().detail;
    const { seen } = await liveUntil(
      receiver,
      (rows) => rows.some((row) => row.id === `deployed:${'f'.repeat(32)}`),
      () => action(receiver, routes.deployed, { ...envelope(), detail: { ...bare, eventId: 'f'.repeat(32), bodyOmitted: true } }, token),
    );
    expect(seen.find((row) => row.id === `deployed:${'f'.repeat(32)}`)).toMatchObject({
      body: '',
      replayable: false,
      cut: expect.stringContaining('bodyOmitted'),
    });
  });
});

describe('what the route refuses', () => {
  test('no token, or a stale one: 403, saying the token is needed', async () => {
    const answer = await postRaw(JSON.stringify(envelope()), { [TOKEN_HEADER]: 'stale' });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toEqual({ error: expect.stringContaining("needs the inspector's token"), reason: TOKEN_REFUSAL });
  });

  test.each([
    ['origin', `http://${'127.0.0.1'}`],
    ['sec-fetch-site', 'same-origin'],
    ['sec-fetch-site', 'cross-site'],
  ])("a browser's request (%s: %s), even the page's own origin with the token: 403", async (name, value) => {
    const answer = await postRaw(JSON.stringify(envelope()), { [name]: name === 'origin' ? `${value}:${portOf(receiver)}` : value });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error).toMatch(
      /^a web browser's request \((Origin|Sec-Fetch-Site): .+\) is not served here: only npx tencent-im listen --inspector posts to it$/,
    );
  });

  test('a body past the bound: 413', async () => {
    const answer = await postRaw(JSON.stringify(envelope({ body: { Text: 'x'.repeat(MAX_DEPLOYED_BYTES) } })));
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error).toBe(`the request is over ${MAX_DEPLOYED_BYTES} bytes`);
  });

  test.each([
    ['not JSON', '{"version":', /^the request is not valid JSON$/],
    ['JSON, no event', '"hello"', /^a deployed event is one of the bus's \(source tencent\.im\), as listen receives it: the event: /],
    ['another source', JSON.stringify({ ...envelope(), source: 'aws.s3' }), /: source: Invalid type: Expected "tencent\.im"/],
    ['a detail without its event id', JSON.stringify({ ...envelope(), detail: { ...envelope().detail, eventId: undefined } }), /: detail\.eventId: /],
  ])('garbage (%s): 400, saying what is wrong', async (_name, text, message) => {
    const answer = await postRaw(text);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error).toMatch(message);
  });

  test('not JSON by its type (a form): 415; a GET: 405; a foreign Host: 421', async () => {
    expect((await postRaw('a=1', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await raw(receiver, routes.deployed, { headers: { host: host() } })).status).toBe(405);
    expect((await postRaw(JSON.stringify(envelope()), { host: `evil.example:${portOf(receiver)}` })).status).toBe(421);
  });
});
