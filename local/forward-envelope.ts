import { randomUUID } from 'node:crypto';
import { eventEntry } from '../functions/fan-out/event-entry.ts';
import type { EventEnvelope } from '../functions/fan-out/event-schema.ts';
import type { StoredEvent } from '../functions/store/event-store.ts';

/** What local mode puts where EventBridge would put the AWS account and region: there are none. */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'local';

/**
 * A stored event as EventBridge would deliver it to a rule's target: the entry the fan-out consumer
 * would publish (functions/fan-out/event-entry.ts, so the same detail and the same size rule), in the
 * envelope EventBridge wraps it in. `time` has EventBridge's second precision.
 */
export function eventBridgeEnvelope(event: StoredEvent): EventEnvelope {
  const { entry } = eventEntry(event, 'local');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType!,
    source: entry.Source as EventEnvelope['source'],
    account: LOCAL_ACCOUNT,
    time: entry.Time!.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: entry.Resources ?? [],
    detail: JSON.parse(entry.Detail!) as EventEnvelope['detail'],
  };
}
