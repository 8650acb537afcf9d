import type { Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { CallbackEvent, CallbackResult } from '../../functions/callback/callback-event.ts';

export interface EventShape {
  readonly method?: string;
  readonly path?: string;
  readonly query?: Record<string, string>;
  readonly body?: string;
  readonly base64?: boolean;
}

/** An API Gateway HTTP API (v2) event, as the function receives it, for one middleware at a time. */
export function apiGatewayEvent({ method = 'POST', path = '/callback', query = {}, body, base64 = false }: EventShape = {}): CallbackEvent {
  return {
    version: '2.0',
    routeKey: 'POST /callback',
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: {},
    queryStringParameters: query,
    requestContext: { http: { method, path, sourceIp: '203.0.113.9' }, requestId: 'request-1' },
    body: base64 && body !== undefined ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: base64,
  } as unknown as CallbackEvent;
}

export function middyRequest(event: CallbackEvent): Request<CallbackEvent, CallbackResult> {
  return { event, context: { awsRequestId: 'context-1' } as Context, response: undefined, error: undefined, internal: {} };
}
