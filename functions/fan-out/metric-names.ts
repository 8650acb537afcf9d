/**
 * The fan-out consumer's EMF metrics (namespace `metricsNamespace`, dimension `service`): the handler
 * emits them, infra/event-fan-out.ts alarms and graphs them. Kept apart from Powertools so synth does not load it.
 */
export const fanOutMetricNames = {
  /** Entries EventBridge took. */
  published: 'FanOutPublished',
  /** Entries resent because a PutEvents call reported them failed (throttled, internal error). */
  retried: 'FanOutRetried',
  /** Entries still failed after every retry: their records are reported back to the stream. */
  failedEntries: 'FanOutFailedEntries',
  /** Events published without their body, too large for one entry. */
  bodiesOmitted: 'FanOutBodiesOmitted',
  /** Pointer and digest items the indexer stage wrote (functions/fan-out/index-records.ts). */
  indexedItems: 'FanOutIndexedItems',
  /** Batches the indexer stage could not write: the stream tries them again; app-wide listings lag meanwhile. */
  indexFailures: 'FanOutIndexFailures',
} as const;

/** The consumer's environment, written by infra/event-fan-out.ts and read by handler.ts. */
export const FAN_OUT_BUS_VARIABLE = 'EVENT_BUS_NAME';
