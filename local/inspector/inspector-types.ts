/**
 * What the inspector's server sends its page (JSON over fetch and SSE). Types only, so the page's
 * bundle takes nothing else from the server side.
 */

/** A record's or stored event's fields, shown as they are: whatever fields the record grows. */
export type Fields = Readonly<Record<string, unknown>>;

export interface InspectedCallback {
  /** The request id for a callback this process answered; `event:<eventId>` for one only known from the table. */
  readonly id: string;
  /** `live`: seen by this process (request, answer, record); `stored`: read back from the events table. */
  readonly source: 'live' | 'stored';
  /** Epoch ms: when it arrived. */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  /** The query as sent, in order, with `Sign` redacted. */
  readonly query: readonly (readonly [string, string])[];
  /** The body as text (cut short past a limit, see `bodyClipped`). */
  readonly body: string;
  /** True when `body` is not all of it: only its start was kept (`cut` says why), or it is too long to show. */
  readonly bodyClipped: boolean;
  /** How many bytes the body had as received. */
  readonly bodyBytes: number;
  /** Why only the start of the body was kept, so it cannot be replayed; absent when it was kept whole. */
  readonly cut?: string;
  /** What the receiver answered; absent for an event read back from the table. */
  readonly answer?: { readonly status: number; readonly body: string };
  /** The callback's record (callback-record.ts), or the stored event's attributes. */
  readonly record: Fields;
  /** Set when the inspector itself sent it: `replay of <id>` or `sample`. */
  readonly origin?: string;
  /** False when the request's body was not kept whole (`cut`), or no longer is. */
  readonly replayable: boolean;
  /**
   * A curl that sends it again (signing from $IM_CALLBACK_TOKEN when a token is set). A body too
   * large to show whole is not written into it: the curl then reads it from a file, and says so.
   */
  readonly curl: string;
}

export interface SampleCommand {
  readonly command: string;
  readonly family: string;
  readonly kind: string;
  readonly summary: string;
  readonly example: Fields;
}

export interface InspectorInfo {
  readonly commands: readonly SampleCommand[];
  readonly tokenSet: boolean;
  readonly stateProvider: boolean;
  /** The policy's rules, by index: a record's `rule` points into it. */
  readonly policyRules: readonly unknown[];
  readonly sdkAppIds: readonly string[];
}

/** The answer of a replay or a sample: what the callback route answered. */
export interface SendResult {
  readonly status: number;
  readonly answer: string;
}
