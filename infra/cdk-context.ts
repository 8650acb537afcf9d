import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cdkJson = fileURLToPath(new URL('../cdk.json', import.meta.url));

/**
 * The deployment's settings as cdk.json declares them, for the tools that run without CDK
 * (`npm start`, `npm run events`), so local mode and the deployment share one configuration.
 */
export function cdkJsonContext(path = cdkJson): (name: string) => unknown {
  const context = (JSON.parse(readFileSync(path, 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
  return (name) => context[name];
}
