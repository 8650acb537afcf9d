/**
 * What the inspector's server sends its page (JSON over fetch and SSE). Types only, so the page's
 * bundle takes nothing else from the server side: the record's and the stored event's types are the
 * ones the receiver writes (callback-record.ts, stored-event-schema.ts), so a field that moves there
 * fails the page's type check (`npm run typecheck` checks page/ with its own tsconfig).
 */
import type { CallbackRecord } from '../../functions/callback/callback-record.ts';
import type { Body, CommandKind } from '../../functions/commands/definition.ts';
import type { EventDetail, EventEnvelope } from '../../functions/fan-out/event-schema.ts';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import type { Delivery } from './forward-deliveries.ts';

/** A live callback's record: the chain's record without the body (the row holds it), its error in one line (the stack is for the terminal). */
export type LiveRecord = Omit<CallbackRecord, 'payload' | 'error'> & { readonly error?: string };

/** An event read back from the table: its attributes without the payload (the row's body), `outcome` stored. */
export type StoredRecord = Omit<StoredEvent, 'payload'> & { readonly outcome: 'stored' };

/**
 * An event a deployed receiver published on its bus, as `npx tencent-im listen --inspector` received
 * it: its detail without the body (the row's), the envelope's fields beside it (`id` as `publicationId`;
 * `account` when the envelope has one: deployed-events.ts), `outcome` published.
 */
export type DeployedRecord = Omit<EventDetail, 'body'> &
  Pick<EventEnvelope, 'region' | 'time'> &
  Partial<Pick<EventEnvelope, 'account'>> & { readonly outcome: 'published'; readonly publicationId: string };

interface InspectedRequest {
  /**
   * The request id for a callback this process answered; `event:<eventId>` for one only known from
   * the table; `deployed:<eventId>` for a deployed receiver's.
   */
  readonly id: string;
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
  /** Set when the inspector itself sent it: `replay of <id>` or `sample`. */
  readonly origin?: string;
  /** False when the request's body was not kept whole (`cut`), or no longer is. */
  readonly replayable: boolean;
  /** What became of its event's forwarding when the row was sent to the page (later news: DeliveryNews). */
  readonly deliveries?: readonly Delivery[];
  /**
   * A curl that sends it again (signing from $IM_CALLBACK_TOKEN when a token is set). A body too
   * large to show whole is not written into it: the curl then reads it from a file, and says so.
   */
  readonly curl: string;
}

/** A callback this process answered (or an earlier npm start on the same DATA_DIR): its request, headers, answer and record. */
export interface LiveCallback extends InspectedRequest {
  readonly source: 'live';
  /** The request's headers as received, in order (credentials redacted). */
  readonly headers: readonly (readonly [string, string])[];
  /** Set when an earlier npm start answered it: kept in DATA_DIR across the restart. */
  readonly earlier?: true;
  /** What the receiver answered. */
  readonly answer: { readonly status: number; readonly body: string };
  readonly record: LiveRecord;
}

/** An event read back from the events table (or just stored by a spool replay). */
export interface StoredCallback extends InspectedRequest {
  readonly source: 'stored';
  readonly answer?: undefined;
  readonly record: StoredRecord;
}

/**
 * A deployed receiver's event (docs/production.md#listen-inspector): shown, never stored here. Its
 * request is the one that would send its body to the local callback route (a replay does).
 */
export interface DeployedCallback extends InspectedRequest {
  readonly source: 'deployed';
  readonly answer?: undefined;
  readonly record: DeployedRecord;
}

/**
 * One row of the page: `live` seen by this process, `stored` read back from the events table,
 * `deployed` published by a deployed receiver.
 */
export type InspectedCallback = LiveCallback | StoredCallback | DeployedCallback;

export interface SampleCommand {
  readonly command: string;
  readonly family: string;
  readonly kind: CommandKind;
  readonly summary: string;
  readonly example: Body;
}

export interface InspectorInfo {
  readonly commands: readonly SampleCommand[];
  readonly tokenSet: boolean;
  readonly stateProvider: boolean;
  /** The policy's rules, by index: a record's `rule` points into it. */
  readonly policyRules: readonly unknown[];
  readonly sdkAppIds: readonly string[];
  /** Where stored events are forwarded (IM_FORWARD_URL), when they are. */
  readonly forwardUrl?: string;
}

/** The live stream's news of a stored event's forwarding. */
export interface DeliveryNews {
  readonly eventId: string;
  readonly deliveries: readonly Delivery[];
}

/** An event on the feed (routes.feed): as stored, its payload as text whichever way it was stored. */
export type FeedEvent = Omit<StoredEvent, 'payloadEncoding'>;

/** The answer of a replay or a sample: what the callback route answered. */
export interface SendResult {
  readonly status: number;
  readonly answer: string;
}
