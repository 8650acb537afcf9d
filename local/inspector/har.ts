/**
 * HTTP Archive 1.2 (http://www.softwareishard.com/blog/har-12-spec/), the format browsers' network
 * panels and ngrok's inspector export: callbacks as requests and answers, for a HAR viewer or a
 * replay tool. Used by the inspector's page (the filtered list) and by `npx tencent-im events
 * --export har` (stored events), so it has no Node or DOM dependency.
 */

export interface HarInput {
  /** Epoch ms: when it arrived. */
  readonly at: number;
  readonly durationMs?: number;
  readonly method: string;
  /** The whole URL, query included (Sign redacted where it is shown). */
  readonly url: string;
  readonly headers?: readonly (readonly [string, string])[];
  readonly body: string;
  /** What was answered, when it is known (a live callback); a stored event's answer was not kept. */
  readonly answer?: { readonly status: number; readonly body: string };
  /** A word on what the entry is: `stored event 3f9a…`, `body cut short`. */
  readonly comment?: string;
}

const pairs = (list: readonly (readonly [string, string])[]) => list.map(([name, value]) => ({ name, value }));
const byteLength = (text: string) => new TextEncoder().encode(text).length;
const JSON_TYPE = 'application/json';

export function harEntry(input: HarInput): object {
  const url = new URL(input.url);
  const answer = input.answer;
  return {
    startedDateTime: new Date(input.at).toISOString(),
    time: input.durationMs ?? 0,
    request: {
      method: input.method,
      url: input.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: pairs(input.headers ?? []),
      queryString: pairs([...url.searchParams]),
      ...(input.body === '' ? {} : { postData: { mimeType: JSON_TYPE, text: input.body } }),
      headersSize: -1,
      bodySize: byteLength(input.body),
    },
    response:
      answer === undefined
        ? {
            status: 0,
            statusText: '',
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: [],
            content: { size: 0, mimeType: '' },
            redirectURL: '',
            headersSize: -1,
            bodySize: -1,
            comment: 'not kept',
          }
        : {
            status: answer.status,
            statusText: '',
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: [{ name: 'content-type', value: JSON_TYPE }],
            content: { size: byteLength(answer.body), mimeType: JSON_TYPE, text: answer.body },
            redirectURL: '',
            headersSize: -1,
            bodySize: byteLength(answer.body),
          },
    cache: {},
    timings: { send: 0, wait: input.durationMs ?? 0, receive: 0 },
    ...(input.comment === undefined ? {} : { comment: input.comment }),
  };
}

/** The document's text before the entries and after them, so a long export can be written as it is read. */
export const harFrame = {
  head: `{"log":{"version":"1.2","creator":{"name":"tencent-im-callbacks","version":"1"},"entries":[`,
  tail: ']}}',
} as const;

/** A whole HAR document. */
export const harOf = (inputs: readonly HarInput[]): string =>
  `${harFrame.head}${inputs.map((input) => JSON.stringify(harEntry(input))).join(',')}${harFrame.tail}`;
