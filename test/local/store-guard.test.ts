/**
 * Issue 17: the embedded DynamoDB API (dynalite) answered every Origin with
 * `Access-Control-Allow-Origin: *` and checked no Host: a page on another origin scanned every stored
 * message and wrote a forged item. Behind local/store-guard.ts it refuses whatever a browser sends
 * and any Host but its own, while the AWS SDK (and so the CLI, which sends the same) works as before.
 */

import { request } from 'node:http';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { documentClient } from '../../functions/store/dynamodb-event-store.ts';
import { type EmbeddedStore, LOCAL_TABLE_NAME, localClient, startEmbeddedStore } from '../../local/embedded-store.ts';

let store: EmbeddedStore;
let port: number;
beforeAll(async () => {
  store = await startEmbeddedStore({ port: 0 });
  port = Number(new URL(store.endpoint).port);
});
afterAll(() => store.close());

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A DynamoDB API call as a page's fetch would make it: the same JSON, the headers of our choosing. */
function call(target: string, payload: unknown, headers: Record<string, string> = {}, method = 'POST'): Promise<Reply> {
  const text = method === 'POST' ? JSON.stringify(payload) : '';
  return new Promise((resolve, reject) => {
    const sent = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: '/',
        headers: {
          host: `127.0.0.1:${port}`,
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `DynamoDB_20120810.${target}`,
          // dynalite checks that a signature is there, not what it signs.
          authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
          'x-amz-date': '20260101T000000Z',
          ...headers,
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    sent.on('error', reject);
    sent.end(text);
  });
}

const corsHeaders = (reply: Reply) => Object.keys(reply.headers).filter((name) => name.startsWith('access-control-'));
const forged = { TableName: LOCAL_TABLE_NAME, Item: { p: { S: 'forged-by-a-page' }, s: { S: '#' }, b: { B: 'e30=' } } };

describe('the embedded store', () => {
  test('answers a call without browser headers, with its own Host (the control)', async () => {
    const reply = await call('ListTables', {});
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body).TableNames).toContain(LOCAL_TABLE_NAME);
  });

  test.each([
    ['a cross-origin page (Origin)', { origin: 'https://attacker.example' }],
    ['a page, by its Sec-Fetch-Site', { 'sec-fetch-site': 'cross-site' }],
    ['even a same-origin one', { 'sec-fetch-site': 'same-origin' }],
    ['a DNS-rebinding page (a foreign Host)', { host: 'rebind.attacker.example:PORT' }],
    ['its own name on another port', { host: '127.0.0.1:1' }],
  ])('refuses %s: 403, DynamoDB-style, no CORS header, no read', async (_case, headers) => {
    const withPort = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value.replace('PORT', String(port))]));
    const reply = await call('Scan', { TableName: LOCAL_TABLE_NAME }, withPort);
    expect(reply.status).toBe(403);
    expect(reply.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(JSON.parse(reply.body)).toEqual({ __type: 'com.amazon.coral.service#AccessDeniedException', message: expect.any(String) });
    expect(reply.body).not.toContain('Items');
    expect(corsHeaders(reply)).toEqual([]);
  });

  test('answers no CORS preflight with allow headers', async () => {
    const reply = await call(
      'Scan',
      {},
      { origin: 'https://attacker.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target' },
      'OPTIONS',
    );
    expect(reply.status).toBe(403);
    expect(corsHeaders(reply)).toEqual([]);
  });

  test('takes no forged write from a page', async () => {
    expect((await call('PutItem', forged, { origin: 'https://attacker.example' })).status).toBe(403);
    expect((await store.client.send(new GetCommand({ TableName: LOCAL_TABLE_NAME, Key: { p: 'forged-by-a-page', s: '#' } }))).Item).toBeUndefined();
  });

  test('the AWS SDK still works, at 127.0.0.1 and at localhost; a browser header makes it an AccessDeniedException', async () => {
    const tables = await localClient(store.endpoint).send(new ListTablesCommand({}));
    expect(tables.TableNames).toContain(LOCAL_TABLE_NAME);
    const byName = localClient(store.endpoint.replace('127.0.0.1', 'localhost'));
    expect((await byName.send(new ListTablesCommand({}))).TableNames).toContain(LOCAL_TABLE_NAME);
    const asBrowser = localClient(store.endpoint);
    asBrowser.middlewareStack.add(
      (next) => (args) => {
        (args.request as { headers: Record<string, string> }).headers.origin = 'https://attacker.example';
        return next(args);
      },
      { step: 'build' },
    );
    await expect(documentClient(asBrowser).send(new GetCommand({ TableName: LOCAL_TABLE_NAME, Key: { eventId: 'x' } }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
    });
  });

  test('stays up when a client goes away mid-body (dynalite rethrew "aborted", uncaught)', async () => {
    await new Promise<void>((resolve) => {
      const sent = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'content-length': '1000', 'x-amz-target': 'DynamoDB_20120810.ListTables' },
      });
      sent.on('error', () => undefined);
      // Once the part of the body is on its way, the connection goes; closed on this side, it is over.
      sent.write('{"Limit":', () => sent.destroy());
      sent.on('close', () => resolve());
    });
    // The server sees that connection end before this one arrives; a throw would have ended the process.
    expect((await call('ListTables', {})).status).toBe(200);
  });
});
