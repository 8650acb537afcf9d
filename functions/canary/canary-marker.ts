/**
 * How a canary's message is told from people's (docs/production.md#canary): the canary function sends
 * it through Tencent's REST API with a marker in a field its after-callback carries back, and the
 * command's definition says which field (`canary.marker`, functions/commands/definition.ts), so the
 * callback path recognises it without knowing any command. The stored event then carries
 * `canary: true`: the fan-out does not publish it, and listings mark it.
 *
 * The marker counts only on a callback Tencent says came through the REST API (`OptPlatform=RESTAPI`,
 * docs/protocol.md): any chat user can put any text into `CloudCustomData` from a client SDK, and must
 * not be able to hide a message from the fan-out by writing a marker into it.
 *
 * Recognising it costs a field read and a substring test per after-event of a command that declares
 * one; only a body that holds the marker's name is parsed.
 */
import * as v from 'valibot';
import type { Body, CommandDefinition } from '../commands/definition.ts';
import { readPath } from '../commands/field-path.ts';

/** The name the marker travels under in the field's JSON text. */
export const CANARY_MARKER_KEY = 'tencentImCanary';

/** The platform Tencent names for requests made through its REST API (docs/protocol.md, OptPlatform). */
export const REST_API_PLATFORM = 'RESTAPI';

export interface CanaryMarker {
  /** The run that sent it: the canary looks for its own message by this. */
  readonly id: string;
  /** When the canary sent it, epoch ms (the canary's clock). */
  readonly sentAt: number;
}

const MarkerSchema = v.object({
  [CANARY_MARKER_KEY]: v.object({
    id: v.pipe(v.string(), v.regex(/^[\w-]{1,64}$/)),
    sentAt: v.pipe(v.number(), v.integer(), v.minValue(0)),
  }),
});

/** The field's text the canary sends: JSON, so an app reading CloudCustomData as JSON reads it too. */
export const canaryMarkerText = (marker: CanaryMarker): string => JSON.stringify({ [CANARY_MARKER_KEY]: { id: marker.id, sentAt: marker.sentAt } });

/** The marker a field's text holds, or undefined. */
export function parseCanaryMarker(text: unknown): CanaryMarker | undefined {
  if (typeof text !== 'string' || !text.includes(CANARY_MARKER_KEY)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = v.safeParse(MarkerSchema, json);
  return parsed.success ? parsed.output[CANARY_MARKER_KEY] : undefined;
}

/**
 * The canary marker of an after-event, when its definition declares where one travels, the body holds
 * one there, and Tencent says the message was sent through the REST API; otherwise undefined.
 */
export function canaryMarkerOf(definition: Pick<CommandDefinition, 'canary'>, body: Body, optPlatform: string | undefined): CanaryMarker | undefined {
  if (definition.canary === undefined || optPlatform !== REST_API_PLATFORM) return undefined;
  return parseCanaryMarker(readPath(body, definition.canary.marker)[0]);
}
