import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { CallbackEvent, CallbackResult } from '../callback-event.ts';

export interface NormalizeEventOptions {
  /** The clock, in epoch milliseconds. Default: `Date.now`. */
  readonly now?: () => number;
}

/**
 * Query parameters by lower-cased name. A name given twice, in any case, keeps both values joined by
 * a comma, as API Gateway does for a repeated parameter, so `SdkAppid=1&sdkappid=2` matches no app.
 */
function lowerCasedQuery(parameters: APIGatewayProxyEventV2['queryStringParameters']): Map<string, string> {
  const query = new Map<string, string>();
  for (const [name, value] of Object.entries(parameters ?? {})) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const earlier = query.get(key);
    query.set(key, earlier === undefined ? value : `${earlier},${value}`);
  }
  return query;
}

let coldStart = true;

/** First in the chain: reads what later steps need from API Gateway's (HTTP API, v2) event. */
export default function normalizeEvent(options: NormalizeEventOptions = {}): MiddlewareObj<CallbackEvent, CallbackResult> {
  const now = options.now ?? Date.now;

  return {
    before: function normalizeEventBefore(request: Request<CallbackEvent, CallbackResult>) {
      const event = request.event;
      const query = lowerCasedQuery(event.queryStringParameters);
      event.callback = {
        method: event.requestContext?.http?.method ?? '',
        path: event.rawPath ?? event.requestContext?.http?.path ?? '',
        query,
        sdkAppId: query.get('sdkappid'),
        commandInQuery: query.get('callbackcommand'),
        clientIp: query.get('clientip'),
        optPlatform: query.get('optplatform'),
        receivedAt: now(),
        requestId: event.requestContext?.requestId ?? request.context.awsRequestId,
        coldStart,
      };
      coldStart = false;
    },
  };
}
