import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll } from '@jest/globals';
import { watchdog } from './watchdog.ts';

export const projectRoot = join(import.meta.dirname, '../..');
const run = promisify(execFile);

/** A project script run by this Node (24) from the project root, as `npm run` would. */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv) {
  return run(process.execPath, [join(projectRoot, script), ...args], { cwd: projectRoot, env: { ...process.env, ...env } });
}

export interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
}

const started = new Set<ChildProcess>();
// A test that fails before it stops its server must not leave it running (and jest waiting on it).
afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/**
 * Starts a long-running script and waits until its output contains `ready`, at most `timeoutMs`: a
 * bound for a hang, generous, since a start on a busy machine takes many times its usual second.
 */
export async function startScript(script: string, env: NodeJS.ProcessEnv, ready: string, timeoutMs = 60_000): Promise<Started> {
  const child = spawn(process.execPath, [join(projectRoot, script)], { cwd: projectRoot, env: { ...process.env, ...env } });
  started.add(child);
  watchdog(child);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not print "${ready}" in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = () => {
      if (output.includes(ready)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${script} exited before it was ready:\n${output}`));
    });
  });
  return { child, output: () => output, exited };
}
