import { request } from 'node:http';
import type { InspectedCallback } from '../../local/inspector/inspector-types.ts';
import { liveEvents, routes, TOKEN_HEADER } from '../../local/inspector/routes.ts';
import type { LocalReceiver } from '../../local/local-server.ts';

export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export const portOf = (receiver: LocalReceiver) => Number(new URL(receiver.callbackUrl).port);

/** Plain node:http, since fetch will not send a Host of our choosing (DNS rebinding is about exactly that). */
export function raw(
  receiver: LocalReceiver,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const sent = request({ host: '127.0.0.1', port: portOf(receiver), path, method: options.method ?? 'GET', headers: options.headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    sent.on('error', reject);
    sent.end(options.body);
  });
}

/** The token, read from the page as the page's script reads it. */
export async function pageToken(receiver: LocalReceiver): Promise<string> {
  const page = await fetch(new URL(routes.page, receiver.callbackUrl));
  return /<meta name="inspector-token" content="([^"]+)">/.exec(await page.text())![1]!;
}

export async function action(receiver: LocalReceiver, route: string, body: unknown, token: string) {
  const response = await fetch(new URL(route, receiver.callbackUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The live stream, read frame by frame, until `until` holds; then it is closed. */
export async function liveUntil(receiver: LocalReceiver, until: (seen: InspectedCallback[]) => boolean, act: () => Promise<unknown> = async () => undefined) {
  const abort = new AbortController();
  const response = await fetch(new URL(routes.live, receiver.callbackUrl), { signal: abort.signal });
  const seen: InspectedCallback[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const acted = act();
  try {
    while (!until(seen)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      const frames = buffer.split('\n\n');
      buffer = frames.pop()!;
      for (const frame of frames) {
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (data !== undefined && (event === liveEvents.callback || event === liveEvents.stored || event === liveEvents.deployed))
          seen.push(JSON.parse(data) as InspectedCallback);
      }
    }
  } finally {
    abort.abort();
  }
  await acted;
  return { seen, headers: response.headers };
}
