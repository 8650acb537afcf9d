import { writeSync } from 'node:fs';

/**
 * Children report to the bench on a pipe of their own, file descriptor 3: their stdout belongs to the
 * handler, which logs there (as Lambda collects it), and a log line must not be read as a result.
 * node:fs is loaded by Node's own start-up, so importing it here preloads nothing for the handler.
 */
export const PROTOCOL_FD = 3;

export function sendToParent(value: unknown): void {
  writeSync(PROTOCOL_FD, `${JSON.stringify(value)}\n`);
}
