import { request as httpRequest } from 'node:http';
import { CALLBACK_METHOD } from '../../functions/callback/callback-event.ts';
import { signOf } from '../../functions/callback/middlewares/verify-sign.ts';
import { callbackQuery } from '../callback-url.ts';
import type { SendResult } from './inspector-types.ts';

/** What a replay or a sample sends: the callback route gets it as any request from Tencent. */
export interface OutgoingCallback {
  readonly method: string;
  readonly path: string;
  /** The query, in order; `Sign` and `RequestTime` are replaced when a token is set. */
  readonly query: readonly (readonly [string, string])[];
  readonly body: Buffer;
  /** A label the inspector shows on the new row: `sample`, `replay of …`. */
  readonly origin: string;
}

export const ORIGIN_HEADER = 'x-inspector-origin';
const signParameters = new Set(['sign', 'requesttime']);

/** The query Tencent appends to the callback URL (docs/protocol.md#query-parameters), as the banner's curl shows it (callback-url.ts). */
export const tencentQuery = (sdkAppId: string, command: string, clientIp?: string, optPlatform?: string): [string, string][] => [
  ...new URLSearchParams(callbackQuery({ sdkAppId, command, clientIp, optPlatform })),
];

/** The query without its signature, signed afresh with the first token when there is one. */
export function signedQuery(query: OutgoingCallback['query'], tokens: readonly string[], now = Date.now()): [string, string][] {
  const unsigned = query.filter(([name]) => !signParameters.has(name.toLowerCase())).map(([name, value]): [string, string] => [name, value]);
  const [token] = tokens;
  if (token === undefined) return unsigned;
  const requestTime = String(Math.floor(now / 1000));
  return [...unsigned, ['RequestTime', requestTime], ['Sign', signOf(token, requestTime).toString('hex')]];
}

export const queryText = (query: OutgoingCallback['query']) => new URLSearchParams(query.map(([name, value]): [string, string] => [name, value])).toString();

/** Sends it to this server's callback route over real HTTP, so it takes the very path Tencent's do. */
export function sendCallback(port: number, outgoing: OutgoingCallback, tokens: readonly string[]): Promise<SendResult> {
  const query = queryText(signedQuery(outgoing.query, tokens));
  return new Promise((resolve, reject) => {
    const sent = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: outgoing.method,
        path: `${outgoing.path}${query === '' ? '' : `?${query}`}`,
        // No Content-Type, as Tencent sends none.
        headers: { 'content-length': outgoing.body.length, [ORIGIN_HEADER]: outgoing.origin.slice(0, 100) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, answer: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    sent.on('error', reject);
    sent.end(outgoing.body);
  });
}

const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * The largest body written into a curl: about what the page shows of one. A larger body would make
 * every copy of the row (in memory, on the live stream, in a terminal) as large again.
 */
export const MAX_CURL_BODY_BYTES = 256 * 1024;

/**
 * A curl that sends the same request. With a token it signs in the shell from $IM_CALLBACK_TOKEN, as
 * the banner's curl does, so no signature (valid or stale) is ever copied around. `bodyBytes` is how
 * large the body was when `outgoing.body` holds only its start; a body that large, or over
 * MAX_CURL_BODY_BYTES, is read from body.json, which a comment line above the curl says.
 */
export function curlOf(
  port: number,
  outgoing: Pick<OutgoingCallback, 'method' | 'path' | 'query' | 'body'>,
  signed: boolean,
  bodyBytes = outgoing.body.length,
): string {
  const query = queryText(signedQuery(outgoing.query, []));
  const url = `http://127.0.0.1:${port}${outgoing.path}${query === '' ? '' : `?${query}`}`;
  const method = outgoing.method === CALLBACK_METHOD ? '' : ` -X ${shellQuote(outgoing.method)}`;
  const inline = outgoing.body.length === bodyBytes && bodyBytes <= MAX_CURL_BODY_BYTES;
  const data = bodyBytes === 0 ? '' : inline ? ` --data-binary ${shellQuote(outgoing.body.toString('utf8'))}` : ' --data-binary @body.json';
  const cut = outgoing.body.length < bodyBytes;
  const note = inline
    ? ''
    : `# ${cut ? 'The inspector kept only the start of' : 'Too large to write here:'} the body (${bodyBytes} bytes): put ${cut ? 'all of it' : 'it'} in body.json first.\n`;
  if (!signed) return `${note}curl -s${method} ${shellQuote(url)}${data}`;
  const signedUrl = `"${url.replaceAll(/["$`\\]/g, '\\$&')}&RequestTime=$T&Sign=$(printf '%s%s' "\${IM_CALLBACK_TOKEN%%,*}" "$T" | sha256sum | cut -c1-64)"`;
  return `${note}T=$(date +%s); curl -s${method} ${signedUrl}${data}`;
}
