/** The compatibility tier's globalTeardown: stops the DynamoDB Local dynamodb-local-setup.ts started. */
import type { ChildProcess } from 'node:child_process';
import { stopDynamoDbLocalProcess } from './dynamodb-local-process.ts';

export default async function stopSharedDynamoDbLocal(): Promise<void> {
  const shared = (globalThis as { sharedDynamoDbLocal?: { child: ChildProcess; logFile: string } }).sharedDynamoDbLocal;
  if (shared === undefined) return;
  await stopDynamoDbLocalProcess(shared.child, shared.logFile);
}
