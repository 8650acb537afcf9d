/**
 * How the CLI finds the `npm start` that runs on a DATA_DIR: `npx tencent-im trigger`, `replay` and
 * `events --follow` talk to it without being told its port (PORT=0 picks any). npm start writes
 * DATA_DIR/receiver.json (0600, like everything there) once it listens, and removes it when it stops;
 * a file left by a process that was killed names a pid that is gone, and is ignored.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { dataDirLayout, PRIVATE_FILE_MODE } from './data-dir.ts';

const RunningReceiverSchema = v.object({
  pid: v.number(),
  callbackUrl: v.pipe(v.string(), v.url()),
  inspectorUrl: v.optional(v.pipe(v.string(), v.url())),
  sdkAppIds: v.array(v.string()),
  /** Whether it checks Sign: a request needs IM_CALLBACK_TOKEN then. */
  signed: v.boolean(),
});

export type RunningReceiver = v.InferOutput<typeof RunningReceiverSchema>;

const fileOf = (dataDir: string) => join(dataDir, dataDirLayout.receiverFile);

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, another user's.
    return (error as { code?: string }).code === 'EPERM';
  }
};

/** Says where this process takes callbacks; the function returned takes it back (on stop). */
export function announceReceiver(dataDir: string, receiver: Omit<RunningReceiver, 'pid'>): () => void {
  const file = fileOf(dataDir);
  writeFileSync(file, JSON.stringify({ pid: process.pid, ...receiver }), { mode: PRIVATE_FILE_MODE });
  return () => rmSync(file, { force: true });
}

/** The npm start running on `dataDir`, if there is one. */
export function runningReceiver(dataDir: string): RunningReceiver | undefined {
  let found: unknown;
  try {
    found = JSON.parse(readFileSync(fileOf(dataDir), 'utf8'));
  } catch {
    // None, or one cut short by a crash mid-write: nobody to talk to either way.
    return undefined;
  }
  const parsed = v.safeParse(RunningReceiverSchema, found);
  return parsed.success && isAlive(parsed.output.pid) ? parsed.output : undefined;
}
