import { type ChildProcess, spawn } from 'node:child_process';

/**
 * Kills `child` should this process die without stopping it (a jest worker killed or crashed, or
 * jest itself before its teardown): a server left behind holds ports, memory and a core. A detached
 * shell polls both every second. No jest import: jest's globalSetup uses it too.
 */
export function watchdog(child: ChildProcess): void {
  if (child.pid === undefined) return;
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 1; done; kill -9 ${child.pid} 2>/dev/null`;
  spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' }).unref();
}
