/**
 * An event as EventBridge delivers it from a deployed stack to a rule's target (listen's queue, the
 * inspector's deployed route): the fan-out's detail (functions/fan-out/event-entry.ts) in an envelope of
 * a made-up account and region, with a fixed id.
 */
import { EVENT_SOURCE, type EventDetail, type EventEnvelope } from '../../functions/fan-out/event-schema.ts';

export const deployedEnvelope = (detail: EventDetail): EventEnvelope => ({
  version: '0',
  id: 'eb-publication-1',
  'detail-type': detail.command,
  source: EVENT_SOURCE,
  account: '123456789012',
  time: '2026-01-01T00:00:00Z',
  region: 'ap-singapore-1',
  resources: [],
  detail,
});
