import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Versions before the change log kept the events waiting to be forwarded in an outbox,
 * DATA_DIR/forward: `outbox.jsonl`, one envelope a line, and `outbox.offset`, the byte offset of what
 * was delivered. Its events are in the table: the first start with the log reconciles from the oldest
 * of them (local-stream.ts), so they are forwarded, and then the outbox goes.
 */
export function legacyOutboxSince(dir: string): number | undefined {
  const log = join(dir, 'outbox.jsonl');
  if (!existsSync(log)) return undefined;
  let offset = 0;
  try {
    offset = Number.parseInt(readFileSync(join(dir, 'outbox.offset'), 'utf8'), 10) || 0;
  } catch {
    // No offset: nothing was delivered.
  }
  const text = readFileSync(log);
  let oldest: number | undefined;
  for (const line of text
    .subarray(offset <= text.length ? offset : 0)
    .toString('utf8')
    .split('\n')) {
    try {
      const receivedAt = (JSON.parse(line) as { detail?: { receivedAt?: unknown } }).detail?.receivedAt;
      if (typeof receivedAt === 'number' && (oldest === undefined || receivedAt < oldest)) oldest = receivedAt;
    } catch {
      // A torn or empty line: never acknowledged.
    }
  }
  return oldest;
}

export function removeLegacyOutbox(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
