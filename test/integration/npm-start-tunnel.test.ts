/**
 * Local mode behind a tunnel (ngrok, cloudflared) or reachable from other machines (HOST=0.0.0.0):
 * the callback route takes a foreign Host, the inspector keeps refusing it, and npm start says, once,
 * when such a callback arrives with no token to check (docs/local.md#tunnels).
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { callbackQuery } from '../../local/callback-url.ts';
import { startScript } from '../support/processes.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-tunnel-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const env = (overrides: Record<string, string>) => ({ PORT: '0', DYNAMODB_PORT: '0', IM_SDKAPPIDS: '1400000123', IM_CALLBACK_TOKEN: '', ...overrides });
const portOf = (banner: string) => Number(/Callback URL\s+http:\/\/127\.0\.0\.1:(\d+)\//.exec(banner)![1]);

/** A POST as a tunnel passes Tencent's on: to this machine's port, under the tunnel's Host. */
function send(address: string, port: number, host: string, path: string, body = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request({ host: address, port, path, method: body === '' ? 'GET' : 'POST', headers: { host } }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

const callbackPath = `/callback?${callbackQuery({ sdkAppId: '1400000123', command: 'Group.CallbackAfterCreateGroup' })}`;
const body = (groupId: string) =>
  JSON.stringify({ CallbackCommand: 'Group.CallbackAfterCreateGroup', GroupId: groupId, Type: 'Public', EventTime: Date.now() });

/** This machine's address on its network, not loopback: where another machine would reach it. */
function externalAddress(): string {
  const found = Object.values(networkInterfaces())
    .flat()
    .find((address) => address !== undefined && address.family === 'IPv4' && !address.internal);
  if (found === undefined) throw new Error('this test needs a network interface besides loopback (a container has eth0)');
  return found.address;
}

describe('behind a tunnel (HOST at its default, 127.0.0.1)', () => {
  test('a callback under a tunnel’s Host is served; npm start warns once that no token checks it; the inspector still refuses that Host', async () => {
    const server = await startScript('local/start.ts', env({ DATA_DIR: join(dataDir, 'tunnel') }), 'Ctrl-C stops it.');
    try {
      const port = portOf(server.output());
      expect(server.output()).toMatch(/Listening on\s+127\.0\.0\.1 \(this machine only; a tunnel in front works too: docs\/local\.md#tunnels\)/);
      const first = await send('127.0.0.1', port, 'abc123.ngrok-free.app', callbackPath, body('@TGS#tunnel-1'));
      const second = await send('127.0.0.1', port, 'abc123.ngrok-free.app', callbackPath, body('@TGS#tunnel-2'));
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(JSON.parse(first.body)).toEqual({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
      const warnings = server.output().match(/WARNING: a callback came through "abc123\.ngrok-free\.app" \(a tunnel\?\) and no callback token is set/g);
      expect(warnings).toHaveLength(1);
      // The inspector (and its API) answer to 127.0.0.1 and localhost only: a tunnel does not publish them.
      expect((await send('127.0.0.1', port, 'abc123.ngrok-free.app', '/')).status).toBe(421);
      expect((await send('127.0.0.1', port, 'abc123.ngrok-free.app', '/inspector/api/events')).status).toBe(421);
      // Not reachable from elsewhere by default.
      await expect(send(externalAddress(), port, `${externalAddress()}:${port}`, callbackPath, body('@TGS#tunnel-3'))).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  test('with a token set, a tunnel’s callback raises no warning (the token checks it)', async () => {
    const server = await startScript('local/start.ts', env({ DATA_DIR: join(dataDir, 'signed'), IM_CALLBACK_TOKEN: 'tunnel-token' }), 'Ctrl-C stops it.');
    try {
      const refused = await send('127.0.0.1', portOf(server.output()), 'abc123.ngrok-free.app', callbackPath, body('@TGS#tunnel-4'));
      expect(refused.status).toBe(401);
      expect(server.output()).not.toMatch(/WARNING/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});

describe('HOST=0.0.0.0', () => {
  test('reachable from this machine’s network address; the banner says so, and warns about the missing token', async () => {
    const server = await startScript('local/start.ts', env({ DATA_DIR: join(dataDir, 'all'), HOST: '0.0.0.0' }), 'Ctrl-C stops it.');
    try {
      const port = portOf(server.output());
      expect(server.output()).toMatch(/Listening on\s+0\.0\.0\.0: reachable from other machines/);
      expect(server.output()).toMatch(
        /WARNING: no callback token \(IM_CALLBACK_TOKEN\), and HOST=0\.0\.0\.0 is reachable from other machines: anyone who can reach it can store events/,
      );
      const address = externalAddress();
      expect((await send(address, port, `${address}:${port}`, callbackPath, body('@TGS#lan'))).status).toBe(200);
      expect((await send(address, port, `${address}:${port}`, '/')).status).toBe(421);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
