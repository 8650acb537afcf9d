import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { MiddlewareObj } from '@middy/core';
import { CallbackError } from './callback-error.ts';
import { SERVICE_NAME } from './metric-names.ts';

/** The X-Ray annotation that names why a request was rejected (a CallbackError reason). */
export const REJECTION_ANNOTATION = 'rejection';

export interface XrayTracing {
  /** The client, instrumented so its calls show in the trace (unchanged when tracing is off). */
  capture<Client>(client: Client): Client;
  readonly middleware?: MiddlewareObj;
}

type TracerModules = [typeof import('@aws-lambda-powertools/tracer'), typeof import('@aws-lambda-powertools/tracer/middleware')];

/** Powertools Tracer and its middy middleware: a chunk of their own, with the X-Ray SDK (docs/performance.md#bundle-layout). */
const loadTracer = (): Promise<TracerModules> => Promise.all([import('@aws-lambda-powertools/tracer'), import('@aws-lambda-powertools/tracer/middleware')]);

/**
 * Powertools' handler middleware, for sampled requests only, and with a rejection as the sender's error.
 *
 * Lambda samples 1 request a second and 5% of the rest (https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html);
 * the others' subsegments would be opened, annotated and closed, then never sent: work for nothing on
 * the warm path. The decision is in the request's trace header, read once in `before`.
 *
 * Powertools adds every error to the handler's subsegment, and the X-Ray SDK's addError marks it a
 * fault (a 5xx, ours). A CallbackError below 500 gets X-Ray's error flag, the reason as an annotation
 * to search by, and the subsegment closed as after a normal answer.
 */
function tracerMiddleware(tracer: Tracer, [, { captureLambdaHandler }]: TracerModules): Required<Pick<MiddlewareObj, 'before' | 'after' | 'onError'>> {
  const traced = captureLambdaHandler(tracer, { captureResponse: false });
  const sampled = new WeakSet<object>();
  return {
    before: (request) => {
      if (!tracer.isTraceSampled()) return;
      sampled.add(request);
      return traced.before!(request);
    },
    after: (request) => (sampled.has(request) ? traced.after!(request) : undefined),
    onError: (request) => {
      if (!sampled.has(request)) return;
      const error = request.error;
      if (!(error instanceof CallbackError) || error.statusCode >= 500) return traced.onError!(request);
      tracer.getSegment()?.addErrorFlag();
      tracer.putAnnotation(REJECTION_ANNOTATION, error.reason);
      return traced.after!(request);
    },
  };
}

/** Powertools Tracer, loaded only when tracing is on: a function with tracing off never pays for the X-Ray SDK. */
export async function xrayTracing(enabled: boolean): Promise<XrayTracing> {
  if (!enabled) return { capture: (client) => client };
  const modules = await loadTracer();
  const tracer = new modules[0].Tracer({ serviceName: SERVICE_NAME });
  return { capture: (client) => tracer.captureAWSv3Client(client as never) as typeof client, middleware: tracerMiddleware(tracer, modules) };
}
