/**
 * A deployed receiver's events in the inspector (docs/production.md#listen-inspector): `npx tencent-im
 * listen --inspector URL` posts each event it receives from the stack's bus to routes.deployed, and
 * the open pages show it, marked "deployed". It is never stored in the local table, never forwarded,
 * and with no page open nothing is made of it. A replay sends its body to the local callback route,
 * as a row read back from the table does.
 */
import * as v from 'valibot';
import { CALLBACK_PATH } from '../../functions/callback/callback-event.ts';
import { MAX_ENTRY_BYTES } from '../../functions/fan-out/event-entry.ts';
import { EventEnvelopeSchema } from '../../functions/fan-out/event-schema.ts';
import { MAX_SHOWN_CHARS } from './captured-callbacks.ts';
import type { DeployedCallback } from './inspector-types.ts';
import { curlOf, type OutgoingCallback, tencentQuery } from './tencent-request.ts';

/**
 * What one event may weigh as listen posts it: PutEvents' bound on an entry (the fan-out keeps
 * within it: event-entry.ts), with room for the envelope's own fields around the detail.
 */
export const MAX_DEPLOYED_BYTES = MAX_ENTRY_BYTES + 16 * 1024;

/**
 * What the route takes: the bus's envelope (event-schema.ts), as listen receives it. What the page
 * does not need may be missing: `version`, `resources`, and `account`, which moto's SQS targets leave
 * out (its default input template has none) while EventBridge always sets it
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html).
 */
export const DeployedEventSchema = v.partial(EventEnvelopeSchema, ['version', 'resources', 'account']);
export type DeployedEvent = v.InferOutput<typeof DeployedEventSchema>;

/** Where a deployed event's id is shown from, so two deliveries of one event are one row. */
const deployedId = (eventId: string) => `deployed:${eventId}`;

/** An event from the bus as a row of the page, and what a replay of it sends to the local callback route. */
export function deployedCallback(envelope: DeployedEvent, port: number, signed: boolean): { shown: DeployedCallback; outgoing: OutgoingCallback } {
  const { id: publicationId, account, region, time, detail } = envelope;
  const { body, ...fields } = detail;
  const text = body === undefined ? '' : JSON.stringify(body);
  const id = deployedId(detail.eventId);
  const outgoing: OutgoingCallback = {
    method: 'POST',
    path: CALLBACK_PATH,
    query: tencentQuery(detail.sdkAppId, detail.command),
    body: Buffer.from(text),
    origin: `replay of ${id}`,
  };
  const omitted = detail.bodyOmitted === true;
  const shown: DeployedCallback = {
    id,
    source: 'deployed',
    at: detail.receivedAt,
    method: outgoing.method,
    path: outgoing.path,
    query: outgoing.query,
    body: text.slice(0, MAX_SHOWN_CHARS),
    bodyClipped: text.length > MAX_SHOWN_CHARS,
    bodyBytes: outgoing.body.length,
    ...(omitted ? { cut: 'the body was too large for one event on the bus (bodyOmitted): the deployed table has it, by its event id' } : {}),
    record: { outcome: 'published', ...fields, publicationId, ...(account === undefined ? {} : { account }), region, time },
    replayable: !omitted,
    curl: curlOf(port, outgoing, signed),
  };
  return { shown, outgoing };
}
