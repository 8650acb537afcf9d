/** The compatibility tier's globalTeardown: stops the DynamoDB Local dynamodb-local-setup.ts started. */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

export default async function stopSharedDynamoDbLocal(): Promise<void> {
  const shared = (globalThis as { sharedDynamoDbLocal?: { child: ChildProcess; logFile: string } }).sharedDynamoDbLocal;
  if (shared === undefined) return;
  const { child, logFile } = shared;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  }
  rmSync(dirname(logFile), { recursive: true, force: true });
}
