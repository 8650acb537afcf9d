import { readAgain } from '../functions/callback/after-events.ts';
import { eventIdOf } from '../functions/store/event-id.ts';
import type { StoredEvent } from '../functions/store/event-store.ts';

/** A day, the TTL the bench's events carry: they outlive any run. */
const DAY_SECONDS = 86_400;

/**
 * An after-event as the callback chain stores it: the body's command definition reads what it is
 * about and its time (after-events.ts `readAgain`), the id is the delivery's (event-id.ts).
 */
export function afterEvent(sdkAppId: string, body: Record<string, unknown> & { readonly CallbackCommand: string }, receivedAt: number): StoredEvent {
  const payload = JSON.stringify(body);
  return readAgain({
    eventId: eventIdOf(sdkAppId, body.CallbackCommand, payload),
    command: body.CallbackCommand,
    kind: 'after',
    sdkAppId,
    receivedAt,
    payload,
    valid: true,
    expiresAt: Math.floor(receivedAt / 1000) + DAY_SECONDS,
  });
}
