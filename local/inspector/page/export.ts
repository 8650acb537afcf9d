import { type HarInput, harOf } from '../har.ts';
import type { InspectedCallback } from '../inspector-types.ts';
import { eventIdOf } from './model.ts';

/** The URL a row was sent to, as the server saw it (Sign redacted), on this page's origin. */
const urlOf = (callback: InspectedCallback) =>
  `${location.origin}${callback.path}${callback.query.length === 0 ? '' : `?${new URLSearchParams(callback.query.map(([name, value]): [string, string] => [name, value]))}`}`;

const harInputOf = (callback: InspectedCallback): HarInput => ({
  at: callback.at,
  durationMs: callback.source === 'live' ? callback.record.durationMs : undefined,
  method: callback.method,
  url: urlOf(callback),
  headers: callback.source === 'live' ? callback.headers : [],
  body: callback.body,
  answer: callback.answer,
  comment: [
    eventIdOf(callback) === undefined ? undefined : `event ${eventIdOf(callback)}`,
    callback.source === 'stored' ? 'read back from the events table' : undefined,
    callback.source === 'deployed' ? `published by the deployed stack (${callback.record.region}), brought by listen` : undefined,
    callback.bodyClipped ? 'body cut short' : undefined,
  ]
    .filter(Boolean)
    .join('; '),
});

/** What the two export buttons write: the rows shown, oldest first, as files for other tools. */
export const exports = {
  /** One row per line, as the page has it: request, answer, record. */
  jsonl: {
    file: 'tencent-im-callbacks.jsonl',
    type: 'application/x-ndjson',
    text: (rows: readonly InspectedCallback[]) => rows.map((row) => `${JSON.stringify(row)}\n`).join(''),
  },
  /** An HTTP Archive, for a HAR viewer or a replay tool. */
  har: {
    file: 'tencent-im-callbacks.har',
    type: 'application/json',
    text: (rows: readonly InspectedCallback[]) => harOf(rows.map(harInputOf)),
  },
} as const;

/** Hands the browser a file to save, made here: no request leaves the page. */
export function download(format: keyof typeof exports, rows: readonly InspectedCallback[]): void {
  const { file, type, text } = exports[format];
  const url = URL.createObjectURL(new Blob([text([...rows].reverse())], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
