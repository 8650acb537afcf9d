import type { MiddlewareObj, Request } from '@middy/core';
import { isObject } from '../../shared/is-object.ts';
import type { CallbackEvent, CallbackResult } from '../callback-event.ts';

export interface NormalizeEventOptions {
  /** The clock, in epoch milliseconds. Default: `Date.now`. */
  readonly now?: () => number;
}

/**
 * Query parameters by lower-cased name. A name given twice, in any case, keeps both values joined by
 * a comma, as API Gateway does for a repeated parameter, so `SdkAppid=1&sdkappid=2` matches no app.
 */
function lowerCasedQuery(parameters: unknown): Map<string, string> {
  const query = new Map<string, string>();
  for (const [name, value] of Object.entries(isObject(parameters) ? parameters : {})) {
    if (typeof value !== 'string') continue;
    const key = name.toLowerCase();
    const earlier = query.get(key);
    query.set(key, earlier === undefined ? value : `${earlier},${value}`);
  }
  return query;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

let coldStart = true;

/** First in the chain: reads what later steps need from API Gateway's (HTTP API, v2) event. */
export default function normalizeEvent(options: NormalizeEventOptions = {}): MiddlewareObj<CallbackEvent, CallbackResult> {
  const now = options.now ?? Date.now;

  return {
    before: function normalizeEventBefore(request: Request<CallbackEvent, CallbackResult>) {
      // Whatever invoked the function (API Gateway, the console's test event, a harness): an event
      // that is no object, a null body or no requestContext is turned away with a 4xx, never a 500.
      if (!isObject(request.event)) request.event = {} as CallbackEvent;
      const event = request.event;
      if (typeof event.body !== 'string') event.body = undefined;
      event.isBase64Encoded = event.isBase64Encoded === true;
      const context = isObject(event.requestContext) ? (event.requestContext as unknown as Record<string, unknown>) : {};
      const http = isObject(context.http) ? context.http : {};
      const query = lowerCasedQuery(event.queryStringParameters);
      event.callback = {
        method: text(http.method) ?? '',
        path: text(event.rawPath) ?? text(http.path) ?? '',
        query,
        sdkAppId: query.get('sdkappid'),
        commandInQuery: query.get('callbackcommand'),
        clientIp: query.get('clientip'),
        optPlatform: query.get('optplatform'),
        receivedAt: now(),
        requestId: text(context.requestId) ?? text(request.context?.awsRequestId) ?? '',
        coldStart,
      };
      coldStart = false;
    },
  };
}
