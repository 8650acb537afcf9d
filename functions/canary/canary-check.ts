/**
 * One canary check (docs/production.md#canary): send a marked message through Tencent's REST API, then
 * wait for its after-callback to be stored, looking for it in the events table through the EventReader
 * port by the subject the message comes back with. What it finds:
 *
 * - `arrived`, with the latency from the send to the callback's arrival at the receiver (the stored
 *   event's `receivedAt`: the table has it once the check sees it);
 * - `missing`: sent, and not stored within the wait: callbacks are not flowing (the console's switch,
 *   URL or token, Tencent, the custom domain), or the table is not taking them;
 * - `unknown`: the REST API timed out or rate-limited the send, so nothing is known of the callbacks;
 * - `refused`: the REST API refused the send (wrong credentials, a group that is gone): one line says
 *   what to fix.
 *
 * Why the canary measures rather than the callback path: the callback path stays free of any work of
 * the canary's but recognising the marker, and only the sender knows whether its send went out, so
 * only it can tell `unknown` from `missing`.
 */
import { randomUUID } from 'node:crypto';
import type { CanaryResult } from '../callback/metric-names.ts';
import type { Body, CanarySpec, CommandDefinition } from '../commands/definition.ts';
import { commandRegistry } from '../commands/registry.ts';
import type { EventFilter, EventReader, StoredEvent } from '../store/event-store.ts';
import type { MessageElement } from '../tencent/chat-apis.ts';
import { TencentRestError } from '../tencent/rest-errors.ts';
import type { TencentRestClient } from '../tencent/tencent-rest-client.ts';
import { type CanaryMarker, canaryMarkerOf, canaryMarkerText } from './canary-marker.ts';

/** Where the canary sends: a group kept for it, or an account. */
export type CanaryTarget = { readonly group: string; readonly account?: undefined } | { readonly account: string; readonly group?: undefined };

export interface CanaryCheckOptions {
  readonly target: CanaryTarget;
  /**
   * Who sends. A one-to-one message is found by its sender, so it always has one: the App admin the
   * REST client signs as, unless told. A group message is sent as the group's system unless told.
   */
  readonly sender?: string;
  /** The App admin the client signs as: the default sender of a one-to-one message. */
  readonly admin: string;
  /** How long to wait for the callback to be stored, in ms. */
  readonly waitMs: number;
  readonly client: Pick<TencentRestClient, 'sdkAppId' | 'sendMsg' | 'sendGroupMsg'>;
  readonly reader: Pick<EventReader, 'pages'>;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** The run's id, carried by the marker. Default: a random UUID. */
  readonly id?: string;
}

export interface CanaryCheck {
  readonly result: CanaryResult;
  /** `arrived`: ms from the send to the callback's arrival at the receiver. */
  readonly latencyMs?: number;
  /** One line for the log and the CLI: what was found, and for `refused` what to fix. */
  readonly message: string;
  readonly command: string;
  readonly marker: CanaryMarker;
  /** `arrived`: the stored event. */
  readonly eventId?: string;
}

/** How far Tencent's EventTime may be from the canary's clock when listing from the send on. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** The waits between looks at the table: soon at first (a callback usually takes a second), then every few seconds. */
const LOOK_AGAIN_MS = [500, 1_000, 2_000, 3_000, 5_000] as const;

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The text the message carries: people who see it in the group know what it is. */
const CANARY_TEXT = 'tencent-im-callbacks canary: a check that callbacks arrive (docs/production.md#canary)';
const canaryBody: readonly MessageElement[] = [{ MsgType: 'TIMTextElem', MsgContent: { Text: CANARY_TEXT } }];

const targetKind = (target: CanaryTarget): CanarySpec['target'] => (target.group === undefined ? 'account' : 'group');

/** The after-command a message to this kind of target comes back as: the definition that declares it. */
export function canaryDefinition(kind: CanarySpec['target']): CommandDefinition & { readonly canary: CanarySpec } {
  const found = [...commandRegistry.values()].find((definition) => definition.canary?.target === kind);
  if (found === undefined) throw new Error(`No command definition declares a canary sent to ${kind === 'group' ? 'a group' : 'an account'}`);
  return found as CommandDefinition & { readonly canary: CanarySpec };
}

/** Whether a stored event is this run's message. */
function isRunsMessage(definition: CommandDefinition, event: StoredEvent, id: string): boolean {
  if (event.canary !== true || event.command !== definition.command) return false;
  let body: unknown;
  try {
    body = JSON.parse(event.payload);
  } catch {
    return false;
  }
  return canaryMarkerOf(definition, body as Body, event.optPlatform)?.id === id;
}

export async function runCanaryCheck(options: CanaryCheckOptions): Promise<CanaryCheck> {
  const { target, client, reader, waitMs, now = Date.now, sleep = sleepFor } = options;
  const definition = canaryDefinition(targetKind(target));
  const marker: CanaryMarker = { id: options.id ?? randomUUID(), sentAt: now() };
  const CloudCustomData = canaryMarkerText(marker);
  const sender = target.account === undefined ? options.sender : (options.sender ?? options.admin);
  const to = target.group === undefined ? `account ${target.account}` : `group ${target.group}`;
  const base = { command: definition.command, marker };
  try {
    if (target.group !== undefined) {
      await client.sendGroupMsg({ GroupId: target.group, MsgBody: canaryBody, CloudCustomData, ...(sender === undefined ? {} : { From_Account: sender }) });
    } else {
      // Not synchronised to the sender's other devices, and kept a day at most for an offline account.
      await client.sendMsg({
        To_Account: target.account,
        From_Account: sender,
        MsgBody: canaryBody,
        CloudCustomData,
        SyncOtherMachine: 2,
        MsgLifeTime: 86_400,
      });
    }
  } catch (error) {
    if (!(error instanceof TencentRestError)) throw error;
    // A timeout or a rate limit says nothing about the callbacks; a refusal is the canary's to fix.
    return error.indeterminate
      ? { ...base, result: 'unknown', message: `Could not tell whether callbacks arrive: the canary's message to ${to} was not sent: ${error.message}` }
      : { ...base, result: 'refused', message: `The canary's message to ${to} was refused: ${error.message}` };
  }

  const filter: EventFilter = {
    sdkAppIds: [client.sdkAppId],
    command: definition.command,
    ...(target.group !== undefined ? { groupId: target.group } : { user: sender }),
    since: marker.sentAt - CLOCK_SKEW_MS,
    limit: 100,
  };
  const deadline = marker.sentAt + waitMs;
  for (let look = 0; ; look++) {
    for await (const page of reader.pages(filter)) {
      const found = page.find((event) => isRunsMessage(definition, event, marker.id));
      if (found !== undefined) {
        const latencyMs = Math.max(0, found.receivedAt - marker.sentAt);
        return {
          ...base,
          result: 'arrived',
          latencyMs,
          eventId: found.eventId,
          message: `The canary's ${definition.command} arrived ${latencyMs} ms after it was sent to ${to}`,
        };
      }
    }
    const left = deadline - now();
    if (left <= 0) break;
    await sleep(Math.min(left, LOOK_AGAIN_MS[Math.min(look, LOOK_AGAIN_MS.length - 1)]!));
  }
  return {
    ...base,
    result: 'missing',
    message:
      `The canary's message to ${to} was sent, but its ${definition.command} was not stored within ${Math.round(waitMs / 1000)} s: ` +
      "check the Chat console's callback switch, URL and token, then the receiver's alarms (docs/operations.md#alarm-canary-missing)",
  };
}
