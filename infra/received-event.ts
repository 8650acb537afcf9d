/**
 * What a rule's target receives from the receiver's bus, typed per command: the envelope EventBridge
 * delivers and the detail the fan-out writes (functions/fan-out/event-schema.ts declares both), with
 * the body of the command's own type (schemas/after-command-bodies.ts, generated from the registry).
 *
 *   export const handler = async (event: ReceivedEvent<'Group.CallbackAfterSendMsg'>) => {
 *     if (event.detail.bodyOmitted) return; // too large for EventBridge: read it from the table by eventId
 *     console.log(event.detail.body.GroupId, event.detail.body.MsgBody?.[0]?.MsgContent?.Text);
 *   };
 */
import type { EventDetail, EventEnvelope } from '../functions/fan-out/event-schema.ts';
import type { AfterCommand, AfterCommandBodies } from '../schemas/after-command-bodies.ts';

export type { AfterCommand, AfterCommandBodies } from '../schemas/after-command-bodies.ts';

/**
 * The body, or the word that it was left out: an entry over EventBridge's 256 KB carries no body and
 * `bodyOmitted: true` (read the body from the events table by `eventId`). Check `bodyOmitted` first;
 * then `body` is there.
 */
export type ReceivedBody<Body> = { readonly body: Body; readonly bodyOmitted?: undefined } | { readonly body?: undefined; readonly bodyOmitted: true };

/** The detail of one stored after-event of `Command`. */
export type ReceivedDetail<Command extends AfterCommand> = Omit<EventDetail, 'command' | 'body' | 'bodyOmitted'> & {
  /** The CallbackCommand, also the event's detail-type. */
  readonly command: Command;
} & ReceivedBody<AfterCommandBodies[Command]>;

/**
 * One after-event as a rule's target receives it: `ReceivedEvent<'Group.CallbackAfterSendMsg'>`, or
 * with several commands (or none: every one) a union that `detail-type` tells apart.
 */
export type ReceivedEvent<Command extends AfterCommand = AfterCommand> = Command extends AfterCommand
  ? Omit<EventEnvelope, 'detail-type' | 'detail'> & {
      readonly 'detail-type': Command;
      readonly detail: ReceivedDetail<Command>;
    }
  : never;
