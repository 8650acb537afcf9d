import type { PutEventsRequestEntry, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import type { EntryPublisherOptions } from '../functions/fan-out/entry-publisher.ts';
import { envelopeText } from './forward-envelope.ts';
import type { DeliveryAttempt } from './inspector/forward-deliveries.ts';

export interface ForwardSendOptions {
  /** IM_FORWARD_URL. */
  readonly url: string;
  /** How long one POST may take before it counts as failed. @default 10000 */
  readonly timeoutMs?: number;
  /** Aborts a POST under way (on close): its record is delivered again at the next start. */
  readonly signal: AbortSignal;
  /** Told why each failed POST failed. @default nobody */
  readonly onFailure?: (reason: string) => void;
  /** Told of each POST's outcome, for the inspector's deliveries beside each event (inspector/forward-deliveries.ts). @default nobody */
  readonly onAttempt?: (attempt: DeliveryAttempt) => void;
}

/** Why an entry was not sent: one before it failed, and order is kept. */
const HELD_BACK = 'HeldBack';

/**
 * The fan-out consumer's PutEvents, locally: the `send` of its EntryPublisher
 * (functions/fan-out/entry-publisher.ts), which POSTs each entry to IM_FORWARD_URL as the event
 * EventBridge would deliver (forward-envelope.ts) and answers as PutEvents does, entry by entry.
 * One POST at a time, in order, so each group's events arrive in the order they were stored: after a
 * failure (no answer, not 2xx, a timeout) the entries behind it are held back, unsent, until that
 * entry is taken; the publisher and the stream runner retry them with their backoff.
 */
export function forwardSend({ url, timeoutMs = 10_000, signal, onFailure, onAttempt }: ForwardSendOptions): EntryPublisherOptions['send'] {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new TypeError(`the forward URL must be http(s), not ${url}`);
  /** The Detail of the entry that failed last, while it has not been taken. */
  let failing: string | undefined;

  /** `failure` undefined when the target took it (2xx), else why not; `result` what came back either way. */
  async function post(entry: PutEventsRequestEntry): Promise<{ failure?: string; result: string }> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: envelopeText(entry),
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      });
      await response.arrayBuffer();
      const result = `HTTP ${response.status}`;
      return response.ok ? { result } : { failure: result, result };
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause;
      const failure = cause?.message ?? (error as Error).message;
      return { failure, result: failure };
    }
  }

  /** Tells onAttempt, by the event id in the entry's Detail; a POST cut short by close is no attempt. */
  function told(entry: PutEventsRequestEntry, failure: string | undefined, result: string) {
    if (onAttempt === undefined || signal.aborted) return;
    try {
      const eventId = (JSON.parse(entry.Detail ?? '{}') as { eventId?: unknown }).eventId;
      if (typeof eventId === 'string') onAttempt({ eventId, target: url, at: Date.now(), ok: failure === undefined, result });
    } catch {
      // Not a Detail of ours: nothing to tell of.
    }
  }

  return async function send(entries) {
    const results: PutEventsResultEntry[] = [];
    for (const entry of entries) {
      const blocked = results.some((result) => result.ErrorCode !== undefined) || (failing !== undefined && failing !== entry.Detail && results.length === 0);
      if (blocked) {
        results.push({ ErrorCode: HELD_BACK, ErrorMessage: 'an earlier event is not forwarded yet' });
        continue;
      }
      const { failure, result } = await post(entry);
      told(entry, failure, result);
      if (failure === undefined) {
        if (failing === entry.Detail) failing = undefined;
        results.push({ EventId: 'local' });
      } else {
        failing = entry.Detail;
        onFailure?.(failure);
        results.push({ ErrorCode: 'ForwardFailed', ErrorMessage: failure });
      }
    }
    return { Entries: results };
  };
}
