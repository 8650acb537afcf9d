/**
 * The names CloudWatch knows the receiver by: the functions emit them (powertools.ts,
 * middlewares/observe-callback.ts) and the stack's dashboard and alarms read them
 * (lib/callback-observability.ts). Kept apart from Powertools so synth does not load it.
 */
export const SERVICE_NAME = 'tencent-im-callbacks';

export const metricNames = {
  callbacks: 'Callbacks',
  handlerLatency: 'HandlerLatency',
  duplicates: 'Duplicates',
  queued: 'Queued',
  refusals: 'Refusals',
  rejections: 'Rejections',
  failures: 'Failures',
} as const;
