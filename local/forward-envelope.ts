import { randomUUID } from 'node:crypto';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { EventEnvelope } from '../functions/fan-out/event-schema.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './local-aws-names.ts';

/**
 * The JSON text of the event EventBridge would deliver to a rule's target for a PutEvents entry (the
 * entry the fan-out consumer builds, functions/fan-out/event-entry.ts): its envelope, `time` with
 * EventBridge's second precision, and the entry's Detail as it is, not parsed and written again.
 */
export function envelopeText(entry: PutEventsRequestEntry): string {
  const envelope: Omit<EventEnvelope, 'detail'> = {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType!,
    source: entry.Source as EventEnvelope['source'],
    account: LOCAL_ACCOUNT,
    time: (entry.Time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: entry.Resources ?? [],
  };
  return `${JSON.stringify(envelope).slice(0, -1)},"detail":${entry.Detail}}`;
}
