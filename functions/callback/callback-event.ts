import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { CommandDefinition, Subjects } from '../commands/definition.ts';
import type { Decision, DecisionOutcome } from '../policy/decision.ts';
import type { KeepOutcome } from '../store/fallback-event-store.ts';

/** The one route Tencent calls: the stack's route, the local server and the chain agree on it. */
export const CALLBACK_PATH = '/callback';
export const CALLBACK_METHOD = 'POST';
/**
 * What else the route takes: the Chat console's URL check (its "校验" button) may probe with them
 * (middlewares/answer-console-probe.ts, docs/protocol.md#console-probe). Nothing else reaches the chain.
 */
export const PROBE_METHODS = ['GET', 'HEAD'] as const;
/** API Gateway refuses a larger request before the function runs (HTTP API quotas: 10 MB); so does the local server. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** What happened to a callback that was answered OK. */
export type CallbackOutcome =
  /** An after-event kept; `events` counts the items of a batch, each stored as an event of its own. */
  | { readonly type: KeepOutcome; readonly eventId: string; readonly valid: boolean; readonly events?: number }
  | { readonly type: DecisionOutcome; readonly decision: Decision }
  /** The console's URL check, answered OK: nothing stored, nothing decided. */
  | { readonly type: 'probe' };

/** What the chain learns about a request, filled in step by step (normalize-event.ts first). */
export interface CallbackRequest {
  readonly method: string;
  readonly path: string;
  /** Query parameters by lower-cased name: Tencent's docs and mirrors disagree on case (docs/protocol.md#query-parameters). */
  readonly query: ReadonlyMap<string, string>;
  readonly sdkAppId?: string;
  readonly commandInQuery?: string;
  readonly clientIp?: string;
  readonly optPlatform?: string;
  readonly receivedAt: number;
  readonly requestId: string;
  /** The first request of this process: in Lambda, the one that paid the cold start. */
  readonly coldStart: boolean;
  /** Set by answer-console-probe.ts: the request is the console's URL check, not a callback. */
  probe?: boolean;
  /** The body as UTF-8 text, set by parse-json-body.ts. */
  rawBody?: string;
  /** Set by match-callback-command.ts once the URL and the body agree. */
  command?: string;
  /** Set with `command`: its definition (registry.ts), read by the handler and the record. */
  definition?: CommandDefinition;
  /**
   * Set with `command`: the ids the body (a batch's first event) is about, whole, and the fields its
   * record shows (definition.ts, aboutOf). The record cuts them short; the stored event keeps them.
   */
  subjects?: Subjects;
  recordFields?: Readonly<Record<string, string>>;
  /** Set by the handler before it stores an after-event, so even a failed write names it. */
  eventId?: string;
  /** Set by the handler. */
  outcome?: CallbackOutcome;
}

/** A request past match-callback-command.ts, as the handler gets it: its body, command, definition and subjects are set. */
export type MatchedRequest = CallbackRequest & Required<Pick<CallbackRequest, 'rawBody' | 'command' | 'definition' | 'subjects' | 'recordFields'>>;

export type CallbackEvent = APIGatewayProxyEventV2 & { callback: CallbackRequest };
export type CallbackResult = APIGatewayProxyStructuredResultV2;
