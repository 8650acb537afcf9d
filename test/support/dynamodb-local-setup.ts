/**
 * The compatibility tier's globalSetup (jest.config.js): one DynamoDB Local for the whole run, its
 * address passed to the test workers in the environment they inherit. Where Java 17 cannot run,
 * nothing starts and the tests say they are skipped (dynamodb-servers.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimPort, SHARED_ENDPOINT_VARIABLE, SHARED_LOG_VARIABLE, startDynamoDbLocalProcess, whyNoDynamoDbLocal } from './dynamodb-local-process.ts';

export default async function startSharedDynamoDbLocal(): Promise<void> {
  if (whyNoDynamoDbLocal() !== undefined) return;
  const port = await claimPort(0);
  const logFile = join(mkdtempSync(join(tmpdir(), 'dynamodb-local-')), 'output.log');
  const child = startDynamoDbLocalProcess(port, logFile);
  process.env[SHARED_ENDPOINT_VARIABLE] = `http://127.0.0.1:${port}`;
  process.env[SHARED_LOG_VARIABLE] = logFile;
  // Read by the globalTeardown, which runs in this process.
  (globalThis as { sharedDynamoDbLocal?: unknown }).sharedDynamoDbLocal = { child, logFile };
}
