import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { PROTOCOL_FD } from './protocol.ts';

export interface ChildAnswer<T> {
  /** The JSON line the child sent (protocol.ts). */
  readonly value: T;
  /** From just before spawn() to the line's arrival, as the parent saw it. */
  readonly wallMs: number;
}

/**
 * Runs `node <script> <args>` with exactly `env` and resolves with the first line it sends on the
 * protocol pipe, parsed as JSON, once it has exited successfully. Its stdout (the handler's logs) goes
 * to /dev/null, as cheap a sink as Lambda's; a failure rejects with the child's stderr.
 */
export function runJsonChild<T>(script: string, args: readonly string[], env: Record<string, string>): Promise<ChildAnswer<T>> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    const protocol = child.stdio[PROTOCOL_FD] as Readable;
    let received = '';
    let stderr = '';
    let wallMs: number | undefined;
    protocol.setEncoding('utf8').on('data', (chunk: string) => {
      received += chunk;
      if (wallMs === undefined && received.includes('\n')) wallMs = performance.now() - start;
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = received.split('\n')[0] ?? '';
      if (code !== 0 || wallMs === undefined) {
        // The tail: a minified bundle's stack trace starts with a line as long as the bundle.
        reject(new Error(`${script} exited with ${code}: ${line}\n${stderr.slice(-4000)}`));
        return;
      }
      resolve({ value: JSON.parse(line) as T, wallMs });
    });
  });
}
