import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { browserMark, isLocalHost, localHosts } from './browser-requests.ts';

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/** Why the embedded store turns the request away, or undefined when it may reach dynalite. */
export function storeRequestProblem(request: IncomingMessage, port: number): string | undefined {
  const mark = browserMark(request.headers);
  if (mark !== undefined) return `requests from a web browser (${mark}) are not served: use the AWS CLI or SDK`;
  if (!isLocalHost(request.headers.host, port)) {
    return `this DynamoDB API answers only to Host ${localHosts(port).join(' or ')}, not ${JSON.stringify(String(request.headers.host ?? '').slice(0, 100))} (a guard against DNS rebinding)`;
  }
  return undefined;
}

/** DynamoDB's own shape of an error (the SDK and the CLI read `__type` after the `#`). */
function refuse(response: ServerResponse, message: string): void {
  const body = JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', message });
  response.writeHead(403, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  response.end(body);
}

/**
 * Puts a guard in front of dynalite's request listener (dynalite is started by us and returns a
 * node:http server; no fork). dynalite answers any `Origin` with `Access-Control-Allow-Origin: *`
 * and checks no Host, so without this any web page the developer opens could read and write the
 * local tables. Refused here, before dynalite sees them: every request a browser marks as its own
 * (browser-requests.ts; a CORS preflight carries `Origin` too, so none gets allow headers) and every
 * Host but 127.0.0.1:PORT or localhost:PORT. The AWS CLI and SDK send neither mark, and the Host of
 * the endpoint they were given.
 *
 * It also keeps the process up when a client goes away mid-body: dynalite rethrows the request's
 * `error` ("aborted"), which would be uncaught and end `npm start`.
 */
export function guardStore(server: Server): void {
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const { port } = server.address() as AddressInfo;
    const problem = storeRequestProblem(request, port);
    if (problem !== undefined) return refuse(response, problem);
    for (const listener of listeners) listener.call(server, request, response);
    // dynalite's `error` listener throws: an aborted request ends its response instead.
    request.removeAllListeners('error');
    request.on('error', () => response.destroy());
  });
}
