import * as v from 'valibot';

/**
 * What an SDKAppID looks like, on its own so that small modules (the Tencent REST client bundled into
 * a Lambda function) check it without importing every setting and the policy engine behind them.
 */
export const sdkAppId = v.pipe(v.string(), v.regex(/^[1-9]\d{0,19}$/, 'an SDKAppID is a number such as 1400000000'));
