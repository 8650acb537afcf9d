import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { routes, TOKEN_HEADER } from '../../../local/inspector/routes.ts';
import { pageToken, portOf, raw } from '../../support/inspector-client.ts';
import { post, startTestReceiver, type TestReceiver } from '../../support/receiver.ts';

let receiver: TestReceiver;
let token: string;
beforeAll(async () => {
  receiver = await startTestReceiver({ inspector: {} });
  token = await pageToken(receiver);
});
afterAll(() => receiver.close());

const getRoutes = [routes.page, routes.script, routes.style, routes.icon, routes.info, routes.stored, `${routes.state}?kind=group&id=g`];
const postRoutes: string[] = [routes.replay, routes.sample];

describe('the Host check (DNS rebinding)', () => {
  test.each([...getRoutes, ...postRoutes, '/inspector/nothing-here'])('%s refuses a foreign Host with 421 and says which Hosts it takes', async (path) => {
    const port = portOf(receiver);
    const answer = await raw(receiver, path, {
      method: postRoutes.includes(path) ? 'POST' : 'GET',
      headers: { host: `evil.example:${port}`, [TOKEN_HEADER]: token, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(answer.status).toBe(421);
    expect(JSON.parse(answer.body).error).toContain(`127.0.0.1:${port} or localhost:${port}`);
  });

  test.each(['127.0.0.1', 'localhost'])('takes %s:PORT', async (name) => {
    expect((await raw(receiver, routes.page, { headers: { host: `${name}:${portOf(receiver)}` } })).status).toBe(200);
  });

  test('refuses the right name on another port, and no Host at all', async () => {
    expect((await raw(receiver, routes.page, { headers: { host: '127.0.0.1:1' } })).status).toBe(421);
    // HTTP/1.0 lets a request come without a Host: node:http would add one, so a bare socket sends it.
    const socket = connect(portOf(receiver), '127.0.0.1');
    socket.end('GET / HTTP/1.0\r\n\r\n');
    const reply = (await socket.toArray()).join('');
    expect(reply).toMatch(/^HTTP\/1\.1 421 /);
  });

  test('the callback route keeps its behaviour whatever the Host (a tunnel may rename it)', async () => {
    const answer = await raw(receiver, '/callback?SdkAppid=1400000000&CallbackCommand=Group.CallbackAfterCreateGroup', {
      method: 'POST',
      headers: { host: 'tunnel.example' },
      body: '{"CallbackCommand":"Group.CallbackAfterCreateGroup","GroupId":"g-host"}',
    });
    expect(answer.status).toBe(200);
  });
});

describe('headers on every inspector answer', () => {
  test.each(getRoutes)('%s: CSP, no framing, no sniffing, no CORS', async (path) => {
    const answer = await raw(receiver, path, { headers: { host: `127.0.0.1:${portOf(receiver)}`, origin: 'https://evil.example' } });
    expect(answer.headers['content-security-policy']).toMatch(/^default-src 'self';.*frame-ancestors 'none'/);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['x-frame-options']).toBe('DENY');
    expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  test.each([routes.info, routes.live, routes.stored])('%s is not read from another site, even on a GET', async (path) => {
    const host = `127.0.0.1:${portOf(receiver)}`;
    expect((await raw(receiver, path, { headers: { host, 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    expect((await raw(receiver, path, { headers: { host, origin: 'http://evil.example' } })).status).toBe(403);
  });

  test('the page itself opens from a link on another site (a navigation)', async () => {
    expect((await raw(receiver, routes.page, { headers: { host: `127.0.0.1:${portOf(receiver)}`, 'sec-fetch-site': 'cross-site' } })).status).toBe(200);
  });

  test('the page has no inline script or style, and carries the token in a meta tag only', async () => {
    const html = (await raw(receiver, routes.page, { headers: { host: `localhost:${portOf(receiver)}` } })).body;
    expect(html.match(/<script\b[^>]*>/g)).toEqual([`<script type="module" src="${routes.script}">`]);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(html.split(token)).toHaveLength(2);
    expect(html).toContain(`<meta name="inspector-token" content="${token}">`);
  });

  test('the token is random per process', async () => {
    const other = await startTestReceiver({ inspector: {} });
    try {
      expect(await pageToken(other)).not.toBe(token);
    } finally {
      await other.close();
    }
  });
});

describe('sending actions', () => {
  const send = (path: string, headers: Record<string, string>, body = '{"command":"Group.CallbackAfterCreateGroup","body":"{}"}', method = 'POST') =>
    raw(receiver, path, { method, headers: { host: `127.0.0.1:${portOf(receiver)}`, 'content-type': 'application/json', ...headers }, body });

  test.each(postRoutes)('%s needs the token: none or a wrong one is 403', async (path) => {
    const records = receiver.records.length;
    expect((await send(path, {})).status).toBe(403);
    expect((await send(path, { [TOKEN_HEADER]: `${token}x` })).status).toBe(403);
    expect((await send(path, { [TOKEN_HEADER]: token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) })).status).toBe(403);
    expect(receiver.records.length).toBe(records);
  });

  test.each(postRoutes)('%s refuses a GET, a cross-site fetch, a foreign Origin, and a form post, even with the token', async (path) => {
    expect((await send(path, { [TOKEN_HEADER]: token }, undefined, 'GET')).status).toBe(405);
    expect((await send(path, { [TOKEN_HEADER]: token, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await send(path, { [TOKEN_HEADER]: token, origin: 'http://evil.example' })).status).toBe(403);
    expect((await send(path, { [TOKEN_HEADER]: token, 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
  });

  test('bad input gets a sentence, not a stack', async () => {
    const notJson = await send(routes.sample, { [TOKEN_HEADER]: token }, '{');
    expect(notJson.status).toBe(400);
    const unknown = await send(routes.sample, { [TOKEN_HEADER]: token }, '{"command":"Group.Nope","body":"{}"}');
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body).error).toMatch(/registry/);
    const gone = await send(routes.replay, { [TOKEN_HEADER]: token }, '{"id":"no-such-id"}');
    expect(gone.status).toBe(404);
    for (const answer of [notJson, unknown, gone]) expect(answer.body).not.toMatch(/\s+at\s/);
  });
});

describe('routing beside the callback route', () => {
  test("a path that is not the inspector's still gets Tencent's 404", async () => {
    const answer = await post(receiver, { body: '{}', path: '/admin' });
    expect(answer).toMatchObject({ status: 404, answer: { ErrorCode: 40400 } });
  });

  test("a POST to / is a callback URL without its path: Tencent's 404 says to use /callback", async () => {
    const answer = await post(receiver, { command: 'Group.CallbackAfterCreateGroup', body: '{}', path: '/' });
    expect(answer).toMatchObject({ status: 404, answer: { ErrorCode: 40400, ErrorInfo: expect.stringContaining('POST /callback') } });
  });

  test("without the inspector, / is Tencent's 404 as before", async () => {
    const plain = await startTestReceiver();
    try {
      const answer = await fetch(new URL('/', plain.callbackUrl));
      expect(answer.status).toBe(404);
      expect(await answer.json()).toMatchObject({ ErrorCode: 40400 });
      expect(plain.inspectorUrl).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});
