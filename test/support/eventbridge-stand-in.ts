/**
 * A local stand-in of the EventBridge API, enough for PutEvents: an HTTP server that speaks AWS JSON
 * 1.1 (`X-Amz-Target: AWSEvents.PutEvents`), reached through the SDK's own endpoint setting
 * (AWS_ENDPOINT_URL_EVENTBRIDGE). It keeps every call and can fail chosen entries, as the service
 * reports a throttled or failed entry: in the answer's `Entries`, with `FailedEntryCount`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';

export interface PutEventsEntry {
  readonly EventBusName?: string;
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly Time?: number;
  readonly Resources?: string[];
}

/** Says whether to fail an entry on this call: an error code, or undefined to take it. */
export type FailEntry = (entry: PutEventsEntry, attempt: number) => string | undefined;

export interface EventBridgeStandIn {
  readonly endpoint: string;
  /** Every PutEvents call's entries, in order. */
  readonly calls: PutEventsEntry[][];
  /** The entries taken, in the order taken. */
  readonly accepted: PutEventsEntry[];
  fail(rule: FailEntry | undefined): void;
  close(): Promise<void>;
}

export async function startEventBridgeStandIn(): Promise<EventBridgeStandIn> {
  const calls: PutEventsEntry[][] = [];
  const accepted: PutEventsEntry[] = [];
  /** How often each Detail was offered, for rules that fail the first tries only. */
  const attempts = new Map<string, number>();
  let rule: FailEntry | undefined;

  const server: Server = createServer(async (request, response) => {
    const body = await text(request);
    const answer = (status: number, json: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
      response.end(JSON.stringify(json));
    };
    if (request.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
      answer(400, { __type: 'UnknownOperationException', message: `not a PutEvents: ${String(request.headers['x-amz-target'])}` });
      return;
    }
    const { Entries = [] } = JSON.parse(body) as { Entries?: PutEventsEntry[] };
    calls.push(Entries);
    if (Entries.length > 10) {
      answer(400, { __type: 'ValidationException', message: 'Entries: at most 10' });
      return;
    }
    const results = Entries.map((entry) => {
      const attempt = (attempts.get(entry.Detail) ?? 0) + 1;
      attempts.set(entry.Detail, attempt);
      const code = rule?.(entry, attempt);
      if (code !== undefined) return { ErrorCode: code, ErrorMessage: `stand-in failed it (attempt ${attempt})` };
      accepted.push(entry);
      return { EventId: randomUUID() };
    });
    answer(200, { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    accepted,
    fail: (next) => (rule = next),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
