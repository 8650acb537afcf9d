import { type ClientRequest, request } from 'node:http';
import type { InspectedCallback } from '../../local/inspector/inspector-types.ts';
import { routes } from '../../local/inspector/routes.ts';

export interface LiveReader {
  /** Every frame's data read so far, with its size on the wire, in order. */
  readonly frames: { readonly bytes: number; readonly callback: InspectedCallback }[];
  /** Bytes read so far. */
  readonly bytes: () => number;
  /** Resolves once a frame matches (frames already read included). */
  until(matches: (callback: InspectedCallback) => boolean): Promise<InspectedCallback>;
  close(): void;
}

/**
 * The inspector's live stream as a page reads it, over plain node:http (fetch's streams would buffer
 * on their own): it takes every frame as it comes, so the server's memory is all that is measured.
 */
export function openLiveReader(port: number): Promise<LiveReader> {
  return new Promise((resolve, reject) => {
    const frames: { bytes: number; callback: InspectedCallback }[] = [];
    const waiting: { matches: (callback: InspectedCallback) => boolean; resolve: (callback: InspectedCallback) => void }[] = [];
    let bytes = 0;
    let pending = '';
    const sent: ClientRequest = request({ host: '127.0.0.1', port, path: routes.live, headers: { host: `127.0.0.1:${port}` } }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`the live stream answered ${response.statusCode}`));
      response.setEncoding('utf8');
      // Closed by us mid-stream: the end of the reading, not an error.
      response.on('error', () => undefined);
      response.on('data', (chunk: string) => {
        bytes += Buffer.byteLength(chunk);
        pending += chunk;
        const parts = pending.split('\n\n');
        pending = parts.pop()!;
        for (const part of parts) {
          const data = /^data: (.*)$/m.exec(part)?.[1];
          if (data === undefined) continue;
          const callback = JSON.parse(data) as InspectedCallback;
          frames.push({ bytes: Buffer.byteLength(part) + 2, callback });
          for (const waiter of [...waiting]) {
            if (waiter.matches(callback)) {
              waiting.splice(waiting.indexOf(waiter), 1);
              waiter.resolve(callback);
            }
          }
        }
      });
      resolve({
        frames,
        bytes: () => bytes,
        until: (matches) => {
          const seen = frames.find((frame) => matches(frame.callback));
          return seen ? Promise.resolve(seen.callback) : new Promise((done) => waiting.push({ matches, resolve: done }));
        },
        close: () => sent.destroy(),
      });
    });
    sent.on('error', reject);
    sent.end();
  });
}
