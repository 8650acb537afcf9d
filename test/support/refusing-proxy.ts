import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A DynamoDB API call as the proxy sees it: its operation (`PutItem`) and its JSON body. */
export interface DynamoDbCall {
  readonly operation: string;
  readonly body: Record<string, unknown>;
}

export const readAll = async (message: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/**
 * An HTTP proxy in front of a DynamoDB API that, while refusing, answers the calls `chosen` picks
 * with a 500 InternalServerError (as a failing store answers; the SDK retries it, then gives up) and
 * passes every other call through (to the store's own Host: the embedded store answers no other): a store that takes reads but not these writes, for as long as a
 * test says, whatever the machine's speed.
 */
export async function refusingProxy(target: string, chosen: (call: DynamoDbCall) => boolean) {
  const upstream = new URL(target);
  let refusing = false;
  let refused = 0;
  const server = createServer(async (request, response) => {
    const bytes = await readAll(request);
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    if (refusing && chosen({ operation, body: JSON.parse(bytes.toString('utf8') || '{}') as Record<string, unknown> })) {
      refused += 1;
      response.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'refused by the test' }));
      return;
    }
    const forwarded = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: { ...request.headers, host: upstream.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.on('error', () => response.destroy());
    forwarded.end(bytes);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Starts or stops refusing the chosen calls. */
    refuse(on: boolean) {
      refusing = on;
    },
    /** How many calls were refused so far. */
    refused: () => refused,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
