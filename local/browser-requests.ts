import type { IncomingHttpHeaders } from 'node:http';

/**
 * Telling a web browser's request from Tencent's, a tunnel's or a tool's, for the local servers any
 * web page the developer opens can aim at (127.0.0.1 is reachable from every page, and a
 * DNS-rebinding page even looks same-origin to the browser).
 *
 * A browser marks its requests; Tencent, tunnels (ngrok, cloudflared), curl, the AWS CLI and SDK do
 * not:
 * - `Origin` is sent with every request whose method is neither GET nor HEAD, same-origin ones
 *   included, whatever the host (Fetch standard, "append a request `Origin` header";
 *   https://fetch.spec.whatwg.org/#append-a-request-origin-header), and with every cross-origin
 *   fetch: a DNS-rebinding page's POST carries its own name there.
 * - `Sec-Fetch-Site` is sent with every request to a potentially trustworthy URL, which
 *   http://127.0.0.1 and http://localhost are (Fetch Metadata,
 *   https://w3c.github.io/webappsec-fetch-metadata/#fetch-integration), GETs and navigations included.
 *
 * `Sec-Fetch-Mode` alone is no sign: Node's own fetch (undici) sends `Sec-Fetch-Mode: cors` on every
 * request and nothing else of the kind, and a browser never sends it without `Sec-Fetch-Site`.
 */
const BROWSER_HEADERS = ['origin', 'sec-fetch-site'] as const;

/** The header that shows a browser sent the request (as it was sent, cut short), or undefined. */
export function browserMark(headers: IncomingHttpHeaders): string | undefined {
  for (const name of BROWSER_HEADERS) {
    const value = headers[name];
    if (value !== undefined) return `${name === 'origin' ? 'Origin' : 'Sec-Fetch-Site'}: ${String(value).slice(0, 100)}`;
  }
  return undefined;
}

/** The Hosts a local server answers to by name: a DNS-rebinding page reaches the port under its own. */
export const localHosts = (port: number): readonly string[] => [`127.0.0.1:${port}`, `localhost:${port}`];

export const isLocalHost = (host: string | undefined, port: number): boolean => localHosts(port).includes((host ?? '').toLowerCase());
