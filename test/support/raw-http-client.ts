/**
 * A raw HTTP client for the hostile-input tests: sends exactly the method, request target, headers
 * and bytes given (in chunks when asked), which fetch would normalize or refuse, and reports what
 * came back, or that nothing did, without throwing.
 */
import { type Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { Answer } from './hostile-oracle.ts';

export interface RawRequest {
  readonly port: number;
  readonly method: string;
  /** The request line's target, as sent: may lack its slash, hold raw bytes, be `host:port` (CONNECT). */
  readonly target: string;
  readonly headers: Record<string, string | number>;
  readonly bytes: Buffer | undefined;
  /** Sent in this many writes. Default: 1. */
  readonly chunks?: number;
  /** A keep-alive agent, or false for a connection of its own. Default: false. */
  readonly agent?: Agent | false;
  readonly timeoutMs: number;
}

export type RawReply = (Answer & { readonly error?: undefined }) | { readonly error: string };

export function sendRaw({ port, method, target, headers, bytes, chunks = 1, agent = false, timeoutMs }: RawRequest): Promise<RawReply> {
  return new Promise((resolve) => {
    const request = httpRequest({ host: '127.0.0.1', port, method, path: target, headers, agent }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('error', (error) => resolve({ error: `the answer broke off: ${error.message}` }));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'],
          allow: response.headers.allow,
          body: Buffer.concat(parts).toString('utf8'),
          headersOnly: method.toUpperCase() === 'HEAD',
        }),
      );
    });
    // A CONNECT's answer arrives as 'connect', with the body on the raw socket.
    request.on('connect', (response, socket, head) => {
      const parts: Buffer[] = [head];
      socket.on('data', (part: Buffer) => parts.push(part));
      socket.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'],
          allow: response.headers.allow,
          body: Buffer.concat(parts).toString('utf8'),
          headersOnly: false,
        }),
      );
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => resolve({ error: `no answer: ${error.message}` }));
    if (bytes !== undefined && chunks > 1) {
      const step = Math.ceil(bytes.length / chunks) || 1;
      for (let offset = 0; offset < bytes.length; offset += step) request.write(bytes.subarray(offset, offset + step));
      request.end();
    } else request.end(bytes);
  });
}

/** What came back on a bare socket: the status line's code, the headers (lower-cased) and the body. */
export interface SocketReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Writes `bytes` on a bare TCP connection, as they are (no request line of node:http's making: noise,
 * a TLS hello, a JSON body alone), and reads the reply until the server closes the connection (it
 * does after refusing bytes it cannot read as HTTP).
 */
export function sendBytes(port: number, bytes: Buffer, timeoutMs: number): Promise<SocketReply | { readonly error: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const parts: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    socket.on('data', (part: Buffer) => parts.push(part));
    socket.on('error', (error) => resolve({ error: `no answer: ${error.message}` }));
    socket.on('close', () => {
      const text = Buffer.concat(parts).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3}) /.exec(statusLine)?.[1] ?? 0);
      if (status === 0) return resolve({ error: `no HTTP answer: ${JSON.stringify(text.slice(0, 200))}` });
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status, headers, body: rest.join('\r\n\r\n') });
    });
    socket.write(bytes);
  });
}
