import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { Settings } from '../shared/settings.ts';
import { CallbackError } from './callback-error.ts';
import type { CallbackRecord } from './callback-record.ts';
import { CALLBACK_RECORD_MESSAGE, SERVICE_NAME } from './metric-names.ts';

/** Writes callback records through Powertools Logger: structured JSON, at the settings' level. */
export function powertoolsLog(settings: Pick<Settings, 'logLevel'>): (record: CallbackRecord) => void {
  const logger = new Logger({ serviceName: SERVICE_NAME, logLevel: settings.logLevel });
  const write = { INFO: logger.info.bind(logger), WARN: logger.warn.bind(logger), ERROR: logger.error.bind(logger) };
  return function logRecord({ level, ...record }) {
    write[level](CALLBACK_RECORD_MESSAGE, record);
  };
}

export const powertoolsMetrics = (settings: Pick<Settings, 'metricsNamespace'>) =>
  new Metrics({ namespace: settings.metricsNamespace, serviceName: SERVICE_NAME });

export interface XrayTracing {
  /** The client, instrumented so its calls show in the trace (unchanged when tracing is off). */
  capture<Client>(client: Client): Client;
  readonly middleware?: MiddlewareObj;
}

/**
 * Powertools Tracer, loaded only when tracing is on: the X-Ray SDK is the largest single cost of a
 * cold start (bench/README.md), which a receiver with tracing off should not pay.
 */
export async function xrayTracing(enabled: boolean): Promise<XrayTracing> {
  if (!enabled) return { capture: (client) => client };
  const [{ Tracer }, { captureLambdaHandler }] = await Promise.all([
    import('@aws-lambda-powertools/tracer'),
    import('@aws-lambda-powertools/tracer/middleware'),
  ]);
  const tracer = new Tracer({ serviceName: SERVICE_NAME });
  const traced = captureLambdaHandler(tracer, { captureResponse: false });
  return {
    capture: (client) => tracer.captureAWSv3Client(client as never) as typeof client,
    middleware: {
      ...traced,
      // Powertools adds every error to the handler's subsegment, and the X-Ray SDK's addError marks
      // it a fault (a 5xx, ours). A rejection is the sender's error: X-Ray's error flag, the reason
      // as an annotation to search by, and the subsegment closed as after a normal answer.
      onError: (request) => {
        const error = request.error;
        if (!(error instanceof CallbackError) || error.statusCode >= 500) return traced.onError!(request);
        if (tracer.isTracingEnabled()) {
          tracer.getSegment()?.addErrorFlag();
          tracer.putAnnotation(REJECTION_ANNOTATION, error.reason);
        }
        return traced.after!(request);
      },
    },
  };
}

/** The X-Ray annotation that names why a request was rejected (a CallbackError reason). */
export const REJECTION_ANNOTATION = 'rejection';
