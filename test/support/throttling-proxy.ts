import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readAll } from './refusing-proxy.ts';

type Work = unknown[] | { Keys: unknown[] };
const itemsOf = (work: Work) => (Array.isArray(work) ? work : work.Keys);
const withItems = (work: Work, items: unknown[]): Work => (Array.isArray(work) ? items : { ...work, Keys: items });

/** The batch calls a throttled table answers in part, and where their answer says what was left. */
const LEFT_IN: Record<string, string> = { BatchGetItem: 'UnprocessedKeys', BatchWriteItem: 'UnprocessedItems' };

/**
 * A DynamoDB API in front of another that answers every BatchGetItem and BatchWriteItem as a throttled
 * table does: it does all of each table's work but the last item (when there are two or more) and
 * answers that one as unprocessed (UnprocessedKeys, UnprocessedItems), on the wire as DynamoDB
 * says it. Sent again alone, the item is done. Every other call passes through unchanged.
 */
export async function throttlingProxy(target: string) {
  const upstream = new URL(target);
  let leftUnprocessed = 0;
  const server = createServer(async (request, response) => {
    let bytes = await readAll(request);
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const answerKey = LEFT_IN[operation];
    const left: Record<string, Work> = {};
    if (answerKey !== undefined) {
      const call = JSON.parse(bytes.toString('utf8')) as { RequestItems: Record<string, Work> };
      for (const [table, work] of Object.entries(call.RequestItems)) {
        const items = itemsOf(work);
        if (items.length < 2) continue;
        call.RequestItems[table] = withItems(work, items.slice(0, -1));
        left[table] = withItems(work, items.slice(-1));
        leftUnprocessed += 1;
      }
      bytes = Buffer.from(JSON.stringify(call));
    }
    const { host: _host, 'content-length': _length, ...headers } = request.headers;
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: { ...headers, host: upstream.host, 'content-length': bytes.length },
      },
      async (answer) => {
        let body = await readAll(answer);
        if (answerKey !== undefined && answer.statusCode === 200 && Object.keys(left).length > 0) {
          const parsed = JSON.parse(body.toString('utf8')) as Record<string, Record<string, Work>>;
          parsed[answerKey] = { ...parsed[answerKey], ...left };
          body = Buffer.from(JSON.stringify(parsed));
        }
        // The body changed: its length and checksum are this proxy's to say (the SDK checks x-amz-crc32 when present).
        const { 'content-length': _answerLength, 'x-amz-crc32': _crc, ...answerHeaders } = answer.headers;
        response.writeHead(answer.statusCode ?? 502, { ...answerHeaders, 'content-length': body.length });
        response.end(body);
      },
    );
    forwarded.on('error', () => response.destroy());
    forwarded.end(bytes);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** How many times a table's last item was answered as unprocessed. */
    leftUnprocessed: () => leftUnprocessed,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
