import { describe, expect, test } from '@jest/globals';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { CallbackError } from '../../../functions/callback/callback-error.ts';

/**
 * The callback's X-Ray middleware (powertools.ts) with the real Powertools Tracer and X-Ray SDK in
 * Lambda mode: what a handler sees as its current segment tells whether the handler's subsegment was
 * opened. Lambda's sampling decision arrives in the trace header of each request. Nothing listens on
 * the daemon's port: a sampled subsegment is sent into the void (the bundle test reads what is sent).
 */
Object.assign(process.env, {
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  LAMBDA_TASK_ROOT: import.meta.dirname,
  _HANDLER: 'index.handler',
  POWERTOOLS_TRACE_ENABLED: 'true',
  AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:9',
  AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
});
const traceHeader = (sampled: 0 | 1, root: string) => `Root=1-5759e988-${root};Parent=53995c3f42cd8ad8;Sampled=${sampled}`;
// Imported once Lambda's variables are set: the X-Ray SDK reads them when it loads.
const { default: xray } = await import('aws-xray-sdk-core');
const { xrayTracing } = await import('../../../functions/callback/powertools.ts');
const { middleware } = await xrayTracing(true);

/** A traced handler answering with the name of the segment it runs in, or failing as told. */
const traced = middy(async (event: { fail?: Error }) => {
  if (event.fail) throw event.fail;
  return xray.getSegment()?.name;
}).use(middleware!);

const invoke = (sampled: 0 | 1, root: string, event: { fail?: Error } = {}) => {
  process.env._X_AMZN_TRACE_ID = traceHeader(sampled, root);
  return traced(event, { awsRequestId: root } as Context);
};

describe('tracing, as Lambda samples', () => {
  test('a sampled request runs in the handler’s subsegment; an unsampled one opens none', async () => {
    expect(await invoke(1, 'bd862e3fe1be46a994272701')).toBe('## index.handler');
    expect(await invoke(0, 'bd862e3fe1be46a994272702')).not.toBe('## index.handler');
    expect(await invoke(1, 'bd862e3fe1be46a994272703')).toBe('## index.handler');
  });

  test('a rejection passes through unsampled requests untouched, and through sampled ones', async () => {
    const rejection = new CallbackError('invalid-json', 'the body is not JSON');
    await expect(invoke(0, 'bd862e3fe1be46a994272704', { fail: rejection })).rejects.toBe(rejection);
    await expect(invoke(1, 'bd862e3fe1be46a994272705', { fail: rejection })).rejects.toBe(rejection);
    // The subsegment was closed: the next sampled request opens its own under the Lambda segment.
    expect(await invoke(1, 'bd862e3fe1be46a994272706')).toBe('## index.handler');
  });
});
