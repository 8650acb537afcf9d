import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { browserMark, localHosts } from '../browser-requests.ts';
import { API_PREFIX, type RefusalReason, TOKEN_HEADER, TOKEN_REFUSAL } from './routes.ts';

/**
 * What keeps the inspector local even though a browser can be made to talk to it from anywhere:
 * bodies are attacker-written, and any web page the developer opens can aim requests at 127.0.0.1.
 *
 * - The Host must be this server by name (`127.0.0.1:PORT` or `localhost:PORT`): a DNS-rebinding
 *   page reaches the port under its own name, and is refused.
 * - Every answer forbids framing, sniffing, inline script and style, and carries no CORS header, so
 *   another origin can neither read an answer nor embed the page.
 * - Whatever sends a request needs a POST with the per-process token, which only the page's own HTML
 *   carries (a cross-site form cannot set a header, and cannot read the page to learn it).
 */
export const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

export function answer(response: ServerResponse, status: number, contentType: string, body: string | Uint8Array, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...securityHeaders, 'content-type': contentType, ...headers });
  response.end(body);
}

export const answerJson = (response: ServerResponse, status: number, value: unknown) =>
  answer(response, status, 'application/json; charset=utf-8', JSON.stringify(value));

/**
 * A refusal says what was wrong, in a sentence, and nothing of the internals; `reason` names a case
 * the page handles itself (a stale token: it fetches the new one and tries again).
 */
export const refuse = (response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}, reason?: RefusalReason) =>
  answer(response, status, 'application/json; charset=utf-8', JSON.stringify({ error: message, ...(reason === undefined ? {} : { reason }) }), headers);

/** The reason the request is refused, or undefined when it may go on. */
export function hostProblem(request: IncomingMessage, port: number): string | undefined {
  const host = (request.headers.host ?? '').toLowerCase();
  const allowed = localHosts(port);
  if (allowed.includes(host)) return undefined;
  return `the inspector answers only to Host ${allowed.join(' or ')}, not ${JSON.stringify(host.slice(0, 100))}: open http://${allowed[0]}/ (a guard against DNS rebinding)`;
}

/**
 * Browsers say where a request comes from: a fetch from another site (a page aiming at 127.0.0.1) is
 * refused even before its token would be. Tools that send neither header (curl) are judged by the
 * token alone.
 */
export function crossSiteProblem(request: IncomingMessage, port: number): string | undefined {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `a ${site} request is not served: use the inspector's own page`;
  const origin = request.headers.origin;
  if (origin !== undefined && !localHosts(port).some((host) => origin === `http://${host}`))
    return `origin ${JSON.stringify(origin.slice(0, 100))} is not allowed`;
  return undefined;
}

/** The per-process token: 256 random bits, never logged, known only to whoever read the page. */
export function inspectorToken(): { readonly value: string; readonly matches: (request: IncomingMessage) => boolean } {
  const value = randomBytes(32).toString('base64url');
  const expected = Buffer.from(value);
  return {
    value,
    matches(request) {
      const given = Buffer.from(String(request.headers[TOKEN_HEADER] ?? ''));
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

/** Why a request is refused: its HTTP status and a sentence. */
export interface Refusal {
  readonly status: number;
  readonly message: string;
  readonly reason?: RefusalReason;
}

/**
 * The guard's checks, each at its place in the router (router.ts): `host` for every request, `site`
 * for the API, `sender` for an action (which needs the per-process token the page's HTML carries),
 * and `tool` for a route only a tool on this machine posts to, which no browser may, same-origin or not.
 */
export interface InspectorGuard {
  /** The token, for the page's meta tag. */
  readonly token: string;
  host(request: IncomingMessage): Refusal | undefined;
  site(request: IncomingMessage, path: string): Refusal | undefined;
  sender(request: IncomingMessage): Refusal | undefined;
  tool(request: IncomingMessage): Refusal | undefined;
}

export function inspectorGuard(port: () => number): InspectorGuard {
  const token = inspectorToken();
  const refusal = (status: number, message: string | undefined) => (message === undefined ? undefined : { status, message });
  return {
    token: token.value,
    host: (request) => refusal(421, hostProblem(request, port())),
    // The page and its files may be reached from anywhere (a link); the API only from the page.
    site: (request, path) => (path.startsWith(API_PREFIX) ? refusal(403, crossSiteProblem(request, port())) : undefined),
    sender: (request) =>
      token.matches(request)
        ? undefined
        : {
            status: 403,
            message: "this action needs the inspector's token: reload the inspector's page (each npm start makes a new one)",
            reason: TOKEN_REFUSAL,
          },
    tool: (request) => {
      const mark = browserMark(request.headers);
      // Even the inspector's own page: what it would post here is only ever what listen receives.
      return refusal(
        403,
        mark === undefined ? undefined : `a web browser's request (${mark}) is not served here: only npx tencent-im listen --inspector posts to it`,
      );
    },
  };
}
