/**
 * Runs in a child process, as Lambda would: imports the bundle given as the first argument, invokes
 * its handler once per API Gateway event read from stdin (a JSON array), and prints the results on
 * a last line of their own, after whatever the function wrote (its log records and EMF metrics).
 */
import { text } from 'node:stream/consumers';
import { pathToFileURL } from 'node:url';

const [bundlePath] = process.argv.slice(2);

// INVOKE_BUNDLE_CLOCK_STEP_MS: a clock that moves that far at every reading (Date.now and
// performance.now, set before the bundle loads, so it keeps these): what a long-lived, slow or
// once-a-minute path does, without waiting for it. Unset: the real clock.
const step = Number(process.env.INVOKE_BUNDLE_CLOCK_STEP_MS ?? 0);
if (step > 0) {
  let time = Date.now();
  Date.now = () => (time += step);
  performance.now = () => (time += step);
}
const events = JSON.parse(await text(process.stdin)) as unknown[];
const { handler } = (await import(pathToFileURL(bundlePath!).href)) as { handler: (event: unknown, context: unknown) => Promise<unknown> };
const results = [];
for (const [index, event] of events.entries()) {
  results.push(await handler(event, { awsRequestId: `bundle-${index}`, functionName: 'bundle-test' }));
}
process.stdout.write(`\n${JSON.stringify(results)}\n`);
