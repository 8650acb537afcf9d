/**
 * Issue 17, in a real browser (Debian's Chromium, driven by playwright-core): a web page on another
 * origin, and a DNS-rebinding page, try what the attack campaign did against `npm start`: read and
 * write the embedded DynamoDB API, and post a callback. Each is refused, and nothing is stored.
 * Without Chromium this suite fails, saying how to install it: a skipped browser test proves nothing.
 */

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { callbackUrl } from '../../local/callback-url.ts';
import { LOCAL_TABLE_NAME } from '../../local/embedded-store.ts';
import { launchChromium } from '../support/chromium.ts';
import { portOf } from '../support/inspector-client.ts';
import { SDK_APP_ID, startTestReceiver, storedEvents, type TestReceiver } from '../support/receiver.ts';

const COMMAND = 'Group.CallbackAfterCreateGroup';

let receiver: TestReceiver;
let attacker: Server;
let browser: Browser;
let launching: Promise<Browser> | undefined;
let page: Page;

/** What a page's script got back: the answer it could read, or the error fetch threw. */
type Outcome = { status: number; text: string } | { error: string };

/** What the page's fetch is given (plain data: it crosses into the page). */
interface PageFetch {
  readonly method: string;
  readonly mode?: 'cors' | 'no-cors';
  readonly headers?: Record<string, string>;
  readonly body: string;
}

/** Runs a fetch in the page, as its own script would. */
const fetchFrom = (on: Page, url: string, init: PageFetch): Promise<Outcome> =>
  on.evaluate(
    async ([target, options]) => {
      try {
        const response = await fetch(target, options);
        return { status: response.status, text: await response.text() };
      } catch (error) {
        return { error: String(error) };
      }
    },
    [url, init] as const,
  );

/** A DynamoDB API call, as a page's script makes it (SigV4's header is only checked for its shape). */
const dynamoCall = (target: string, body: unknown): PageFetch => ({
  method: 'POST',
  headers: {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `DynamoDB_20120810.${target}`,
    authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
    'x-amz-date': '20260101T000000Z',
  },
  body: JSON.stringify(body),
});

const storePort = () => new URL(receiver.dynamodbEndpoint).port;
const body = (groupId: string) => JSON.stringify({ CallbackCommand: COMMAND, GroupId: groupId, Type: 'Public' });
const storedGroups = async () => (await storedEvents(receiver)).map((event) => event.groupId);

beforeAll(async () => {
  // Chromium starts while the receiver and the other site do: neither waits on the other.
  // Names of our own for 127.0.0.1: another site's, and a rebinding page's. Chromium's Local
  // Network Access checks would stop a page served from elsewhere (the rebinding page) from reaching
  // 127.0.0.1 on their own; they are off, as Firefox and Safari have none: the receiver's own
  // guards are what is tested.
  launching = launchChromium([
    '--host-resolver-rules=MAP attacker.test 127.0.0.1, MAP rebind.test 127.0.0.1',
    '--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults,LocalNetworkAccessChecks',
  ]);
  receiver = await startTestReceiver({ inspector: {} });
  // Some other site the developer has open.
  attacker = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>another site</title>'));
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  browser = await launching;
  page = await browser.newPage();
  await page.goto(`http://attacker.test:${(attacker.address() as AddressInfo).port}/`);
}, 30_000);

afterAll(async () => {
  await (await launching?.catch(() => undefined))?.close();
  await new Promise((resolve) => attacker?.close(resolve));
  await receiver?.close();
});

describe('a page on another origin', () => {
  test('cannot read the local store: its preflight is refused, so the fetch fails', async () => {
    const outcome = await fetchFrom(page, `${receiver.dynamodbEndpoint}/`, dynamoCall('Scan', { TableName: LOCAL_TABLE_NAME }));
    expect(outcome).toEqual({ error: expect.stringMatching(/TypeError/) });
  });

  test('cannot write to it', async () => {
    const forged = { TableName: LOCAL_TABLE_NAME, Item: { p: { S: 'forged-in-chromium' }, s: { S: '#' }, b: { B: 'e30=' } } };
    expect(await fetchFrom(page, `${receiver.dynamodbEndpoint}/`, dynamoCall('PutItem', forged))).toEqual({ error: expect.stringMatching(/TypeError/) });
    expect((await receiver.store.client.send(new GetCommand({ TableName: LOCAL_TABLE_NAME, Key: { p: 'forged-in-chromium', s: '#' } }))).Item).toBeUndefined();
  });

  test('cannot post a callback, even one that needs no preflight', async () => {
    const records = receiver.records.length;
    const url = callbackUrl(receiver.callbackUrl, { sdkAppId: SDK_APP_ID, command: COMMAND });
    // no-cors: the browser sends it and hides the answer; the server must refuse it all the same.
    expect(await fetchFrom(page, url, { method: 'POST', mode: 'no-cors', body: body('@TGS#cross-site') })).toEqual({ status: 0, text: '' });
    expect(receiver.records.length).toBe(records);
    expect(await storedGroups()).not.toContain('@TGS#cross-site');
  });
});

/**
 * A rebinding page: its own server (played here by the browser's request interception) served it
 * under rebind.test:PORT, then the name was made to point at 127.0.0.1. From then on, its fetches to
 * its own origin reach the local port, and the browser takes them for same-origin.
 */
async function reboundPage(port: number | string): Promise<Page> {
  const rebound = await browser.newPage();
  const url = `http://rebind.test:${port}/`;
  await rebound.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>rebound</title>' }));
  await rebound.goto(url);
  await rebound.unrouteAll();
  return rebound;
}

describe('a DNS-rebinding page (same-origin to the browser)', () => {
  test('posting to /callback is refused with 40303: Chromium sends Origin even on a same-origin POST', async () => {
    const rebound = await reboundPage(portOf(receiver));
    try {
      const path = callbackUrl('/callback', { sdkAppId: SDK_APP_ID, command: COMMAND });
      const outcome = await fetchFrom(rebound, path, { method: 'POST', body: body('@TGS#rebound') });
      expect(outcome).toMatchObject({ status: 403 });
      expect(JSON.parse((outcome as { text: string }).text)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 40303 });
      expect(await storedGroups()).not.toContain('@TGS#rebound');
    } finally {
      await rebound.close();
    }
  });

  test('the store refuses its calls, by their Host and their Origin', async () => {
    const rebound = await reboundPage(storePort());
    try {
      const outcome = await fetchFrom(rebound, '/', dynamoCall('Scan', { TableName: LOCAL_TABLE_NAME }));
      expect(outcome).toMatchObject({ status: 403, text: expect.stringContaining('AccessDeniedException') });
      expect((outcome as { text: string }).text).not.toContain('Items');
    } finally {
      await rebound.close();
    }
  });
});
